-- Account recovery and settings (identity/RecoveryService). Link tokens are kept only as SHA-256 hashes; each
-- link works once (a conditional UPDATE ... WHERE status = 'pending' AND expires_at > now spends it, so two uses
-- race to one winner) and expires. A newer link of the same user replaces the pending one.
CREATE TABLE password_resets (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id),
    token_hash  text NOT NULL UNIQUE,
    status      text NOT NULL CHECK (status IN ('pending', 'used', 'replaced')),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE UNIQUE INDEX password_resets_one_pending ON password_resets (user_id) WHERE status = 'pending';

-- A change of e-mail happens only when the link sent to the new address is followed.
CREATE TABLE email_changes (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id),
    new_email    text NOT NULL,
    token_hash   text NOT NULL UNIQUE,
    status       text NOT NULL CHECK (status IN ('pending', 'confirmed', 'replaced')),
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    confirmed_at timestamptz
);
CREATE UNIQUE INDEX email_changes_one_pending ON email_changes (user_id) WHERE status = 'pending';

-- "Forgot password" requests, counted per e-mail asked about (whether or not it has an account) and per client
-- address, in fixed windows, shared by every instance.
CREATE TABLE reset_request_counts (
    key          text        PRIMARY KEY,
    requests     integer     NOT NULL,
    window_start timestamptz NOT NULL
);
