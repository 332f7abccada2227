-- Partner access service: base schema.
-- All timestamps come from the application's clock (never now()), so the test clock can move time.

CREATE TABLE policy (
    id            int PRIMARY KEY CHECK (id = 1),
    expiry_days   int NOT NULL,
    job_threshold int NOT NULL,
    rule_from     timestamptz            -- R13: the date the 60-day rule is on for every account (NULL: off unless per account)
);
INSERT INTO policy (id, expiry_days, job_threshold, rule_from) VALUES (1, 60, 100, NULL);

CREATE TABLE partners (
    id            uuid PRIMARY KEY,
    name          text NOT NULL,
    referral_code text NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL
);

CREATE TABLE accounts (
    id                uuid PRIMARY KEY,
    business_name     text NOT NULL,
    plan              text NOT NULL,
    status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    job_count         int  NOT NULL DEFAULT 0,
    hundredth_job_at  timestamptz,       -- R12: when the job threshold was reached
    expiry_rule_from  timestamptz,       -- R13: per-account switch-on of the rule (operator API)
    created_by_partner uuid REFERENCES partners (id),
    created_at        timestamptz NOT NULL,
    cancelled_at      timestamptz
);

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL,
    password_hash text NOT NULL,
    name          text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('customer', 'partner')),
    account_id    uuid REFERENCES accounts (id),
    role          text CHECK (role IN ('owner', 'admin', 'staff')),
    partner_id    uuid REFERENCES partners (id),
    created_at    timestamptz NOT NULL,
    CHECK ((kind = 'customer' AND account_id IS NOT NULL AND role IS NOT NULL AND partner_id IS NULL)
        OR (kind = 'partner' AND partner_id IS NOT NULL AND account_id IS NULL AND role IS NULL))
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE UNIQUE INDEX users_one_owner_per_account ON users (account_id) WHERE role = 'owner';
CREATE INDEX users_account ON users (account_id);

CREATE TABLE connections (
    id                uuid PRIMARY KEY,
    partner_id        uuid NOT NULL REFERENCES partners (id),
    account_id        uuid NOT NULL REFERENCES accounts (id),
    origin            text NOT NULL CHECK (origin IN ('invite', 'referral', 'created')),
    access            text NOT NULL CHECK (access IN ('enabled', 'disabled', 'expired')),
    connected_at      timestamptz NOT NULL,
    enabled_at        timestamptz,       -- R15: last time access became enabled
    last_accessed_at  timestamptz,       -- R11: last partner access (touches flushed in batches)
    expires_at        timestamptz,       -- R11-R13: materialised expiry; NULL while the clock is not running
    access_changed_at timestamptz NOT NULL,
    disconnected_at   timestamptz,
    disconnected_by   text CHECK (disconnected_by IN ('customer', 'partner')),
    disconnect_reason text
);
-- One live connection per partner and account; the access check reads exactly this index.
CREATE UNIQUE INDEX connections_live ON connections (partner_id, account_id) WHERE disconnected_at IS NULL;
CREATE INDEX connections_account ON connections (account_id) WHERE disconnected_at IS NULL;
-- The expiry sweep reads due rows from this index.
CREATE INDEX connections_due ON connections (expires_at) WHERE access = 'enabled' AND disconnected_at IS NULL;

-- The expiry of a connection from its inputs (R11, R12, R13, R15); NULL means "never expires (yet)".
CREATE FUNCTION connection_expiry(p_last_access timestamptz, p_enabled_at timestamptz,
                                  p_hundredth_job_at timestamptz, p_rule_from timestamptz)
    RETURNS timestamptz
    LANGUAGE sql STABLE AS
$$
SELECT CASE
           WHEN p_hundredth_job_at IS NULL OR COALESCE(p_rule_from, p.rule_from) IS NULL THEN NULL
           ELSE GREATEST(p_last_access, p_enabled_at, p_hundredth_job_at, COALESCE(p_rule_from, p.rule_from))
               + make_interval(days => p.expiry_days)
           END
FROM policy p
WHERE p.id = 1
$$;

CREATE TABLE invites (
    id          uuid PRIMARY KEY,
    partner_id  uuid NOT NULL REFERENCES partners (id),
    account_id  uuid REFERENCES accounts (id),
    email       text,
    status      text NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn')),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    decided_at  timestamptz,
    decided_by  uuid REFERENCES users (id),
    CHECK (account_id IS NOT NULL OR email IS NOT NULL)
);
CREATE INDEX invites_partner ON invites (partner_id, created_at DESC);
CREATE INDEX invites_account ON invites (account_id) WHERE status = 'pending';
CREATE INDEX invites_email ON invites (lower(email)) WHERE status = 'pending';

CREATE TABLE access_requests (
    id            uuid PRIMARY KEY,
    connection_id uuid NOT NULL REFERENCES connections (id),
    account_id    uuid NOT NULL REFERENCES accounts (id),
    partner_id    uuid NOT NULL REFERENCES partners (id),
    status        text NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'cancelled')),
    requested_by  uuid REFERENCES users (id),
    created_at    timestamptz NOT NULL,
    decided_at    timestamptz,
    decided_by    uuid REFERENCES users (id)
);
-- R16: one pending request per connection.
CREATE UNIQUE INDEX access_requests_one_pending ON access_requests (connection_id) WHERE status = 'pending';
CREATE INDEX access_requests_account ON access_requests (account_id, created_at DESC);

CREATE TABLE banners (
    id            uuid PRIMARY KEY,
    audience      text NOT NULL CHECK (audience IN ('account', 'partner')),
    account_id    uuid NOT NULL REFERENCES accounts (id),
    partner_id    uuid NOT NULL REFERENCES partners (id),
    kind          text NOT NULL,
    message       text NOT NULL,
    request_id    uuid REFERENCES access_requests (id),
    created_at    timestamptz NOT NULL,
    dismissed_at  timestamptz
);
CREATE INDEX banners_account ON banners (account_id, created_at DESC) WHERE audience = 'account' AND dismissed_at IS NULL;
CREATE INDEX banners_partner ON banners (partner_id, created_at DESC) WHERE audience = 'partner' AND dismissed_at IS NULL;

CREATE TABLE activity (
    id            bigserial PRIMARY KEY,
    account_id    uuid NOT NULL REFERENCES accounts (id),
    at            timestamptz NOT NULL,
    kind          text NOT NULL,
    actor_user_id uuid REFERENCES users (id),
    partner_id    uuid REFERENCES partners (id),
    summary       text NOT NULL
);
CREATE INDEX activity_account ON activity (account_id, id DESC);

CREATE TABLE jobs (
    id          uuid PRIMARY KEY,
    account_id  uuid NOT NULL REFERENCES accounts (id),
    title       text NOT NULL,
    created_by  uuid REFERENCES users (id),
    partner_id  uuid REFERENCES partners (id),
    created_at  timestamptz NOT NULL
);
CREATE INDEX jobs_account ON jobs (account_id, created_at DESC);
