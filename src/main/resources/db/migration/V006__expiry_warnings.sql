-- Expiry warnings (14, 7, 1 days before a partner's access expires): one row per connection and warning
-- threshold, holding the expiry it was sent for. A new expiry period (access, re-enabling) has another
-- expires_at, so the same threshold may be sent again for it; the key makes "once per period" hold even
-- when several instances sweep at once.
CREATE TABLE expiry_warnings (
    connection_id uuid        NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    days          int         NOT NULL,
    expires_at    timestamptz NOT NULL,
    sent_at       timestamptz NOT NULL,
    PRIMARY KEY (connection_id, days)
);
