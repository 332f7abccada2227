-- Sign-in throttling, shared by every instance: one row per (email, client address) and one per email
-- (client = '*'). A row counts the attempts of its window; IdentityService counts an attempt before the
-- password is checked (INSERT ... ON CONFLICT DO UPDATE ... RETURNING), so concurrent guesses cannot all
-- be evaluated.
CREATE TABLE sign_in_attempts (
    email        text        NOT NULL,
    client       text        NOT NULL,
    attempts     integer     NOT NULL,
    window_start timestamptz NOT NULL,
    PRIMARY KEY (email, client)
);
CREATE INDEX sign_in_attempts_window ON sign_in_attempts (window_start);

-- Per-partner rate limits on sending invites (new ones and resends), same fixed-window counting.
CREATE TABLE invite_send_counts (
    partner_id   uuid        NOT NULL REFERENCES partners (id),
    action       text        NOT NULL CHECK (action IN ('invite', 'resend')),
    sends        integer     NOT NULL,
    window_start timestamptz NOT NULL,
    PRIMARY KEY (partner_id, action)
);

-- One pending invite per partner and account id (invites by id carry no e-mail), and one per partner and e-mail
-- address (invites by e-mail, whether or not an account has that owner). The two are kept apart on purpose:
-- merging an invite by e-mail into one by id would tell the partner that the address is that account's owner.
-- Older duplicates are withdrawn first.
UPDATE invites i SET status = 'withdrawn', decided_at = now()
 WHERE i.status = 'pending' AND i.email IS NULL
   AND EXISTS (SELECT 1 FROM invites j WHERE j.status = 'pending' AND j.email IS NULL AND j.partner_id = i.partner_id
                  AND j.account_id = i.account_id AND (j.created_at, j.id) > (i.created_at, i.id));
UPDATE invites i SET status = 'withdrawn', decided_at = now()
 WHERE i.status = 'pending' AND i.email IS NOT NULL
   AND EXISTS (SELECT 1 FROM invites j WHERE j.status = 'pending' AND j.email IS NOT NULL AND j.partner_id = i.partner_id
                  AND lower(j.email) = lower(i.email) AND (j.created_at, j.id) > (i.created_at, i.id));
CREATE UNIQUE INDEX invites_one_pending_per_account ON invites (partner_id, account_id)
    WHERE status = 'pending' AND email IS NULL;
CREATE UNIQUE INDEX invites_one_pending_per_email ON invites (partner_id, lower(email))
    WHERE status = 'pending' AND email IS NOT NULL;

-- The account's invite list is paged by (created_at, id).
CREATE INDEX invites_account_page ON invites (account_id, created_at DESC, id DESC) WHERE status = 'pending';
