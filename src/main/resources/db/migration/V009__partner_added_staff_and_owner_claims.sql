-- R24: users a partner adds follow that partner's access until the owner confirms them.
-- A user (or a staff invitation) a partner added remembers the partner and the very connection it came
-- through; whether it may act is derived when read (accounts/AccountRepository.actorFor joins that
-- connection): suspended while its access is not enabled, gone once it is disconnected. A reconnect is a new
-- connection, so it does not bring them back. confirmed_at set by the owner ends the link.
ALTER TABLE users
    ADD COLUMN added_by_partner     uuid REFERENCES partners (id),
    ADD COLUMN added_via_connection uuid REFERENCES connections (id),
    ADD COLUMN confirmed_at         timestamptz;
-- A user a partner added is staff until the owner confirms them (never admin or owner).
ALTER TABLE users ADD CONSTRAINT users_partner_added_staff_only
    CHECK (added_by_partner IS NULL OR confirmed_at IS NOT NULL OR role = 'staff');
CREATE INDEX users_added_via_connection ON users (added_via_connection) WHERE confirmed_at IS NULL;

ALTER TABLE staff_invites ADD COLUMN connection_id uuid REFERENCES connections (id);
-- NOT VALID: invitations made before this rule keep their role; every new one is checked.
ALTER TABLE staff_invites ADD CONSTRAINT staff_invites_partner_staff_only
    CHECK (invited_by_partner IS NULL OR role = 'staff') NOT VALID;

-- R25: an account a partner created is handed over by a claim link e-mailed to the owner, who sets its own
-- password. The link's token is kept only as a SHA-256 hash, works once and expires; a new handover replaces
-- the pending claim of the account.
CREATE TABLE owner_claims (
    id          uuid PRIMARY KEY,
    account_id  uuid NOT NULL REFERENCES accounts (id),
    partner_id  uuid NOT NULL REFERENCES partners (id),
    name        text NOT NULL,
    email       text NOT NULL,
    token_hash  text NOT NULL UNIQUE,
    status      text NOT NULL CHECK (status IN ('pending', 'claimed', 'replaced')),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    claimed_at  timestamptz
);
CREATE UNIQUE INDEX owner_claims_one_pending ON owner_claims (account_id) WHERE status = 'pending';
