-- The partner directory (issue 12 item 7): a partner's listing, which it opts in to, and the leads customers
-- send it with "Contact me". The organisation name is partners.name and the tier is derived from the partner's
-- connections (R22), so neither is stored here.
CREATE TABLE partner_listings (
    partner_id  uuid PRIMARY KEY REFERENCES partners (id),
    listed      boolean NOT NULL,
    region      text,
    services    text[] NOT NULL DEFAULT '{}',
    description text,
    updated_at  timestamptz NOT NULL,
    -- a listed partner says where it works, what it does and who it is
    CHECK (NOT listed OR (region IS NOT NULL AND description IS NOT NULL AND cardinality(services) > 0))
);
CREATE INDEX partner_listings_listed ON partner_listings (partner_id) WHERE listed;

CREATE TABLE leads (
    id            uuid PRIMARY KEY,
    partner_id    uuid NOT NULL REFERENCES partners (id),
    account_id    uuid NOT NULL REFERENCES accounts (id),
    user_id       uuid NOT NULL REFERENCES users (id),
    business_name text NOT NULL,          -- as it was when the lead was sent
    contact_name  text NOT NULL,
    contact_email text NOT NULL,
    message       text NOT NULL,
    created_at    timestamptz NOT NULL,
    handled_at    timestamptz,
    handled_by    uuid REFERENCES users (id)
);
-- The partner's Leads list, newest first, paged by (created_at, id).
CREATE INDEX leads_partner_page ON leads (partner_id, created_at DESC, id DESC);
-- The per-account daily limit counts an account's recent leads.
CREATE INDEX leads_account_recent ON leads (account_id, created_at);
-- One open (not yet handled) lead per partner and account: a second "Contact me" waits for the first.
CREATE UNIQUE INDEX leads_one_open ON leads (partner_id, account_id) WHERE handled_at IS NULL;
