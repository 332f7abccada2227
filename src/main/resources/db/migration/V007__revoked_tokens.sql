-- Tokens ended by signing out, kept until they would have expired anyway. Each process keeps them in
-- memory (loaded at start, kept current through NOTIFY on channel revoked_tokens), so checking costs no I/O.
CREATE TABLE revoked_tokens (
    token_hash text PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
CREATE INDEX revoked_tokens_expiry ON revoked_tokens (expires_at);
