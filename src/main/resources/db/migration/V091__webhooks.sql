-- R33: signed webhooks for the host product, from an outbox written in the same transaction as the change.
--
-- webhook_subscriptions: what the operator registered (URL, the signing secret, the event kinds, active).
-- webhook_events: the outbox. One row per event, inserted by the transaction that made the change (so a change
--   that rolls back leaves nothing to send), with the event's data as it was then.
-- webhook_deliveries: one row per (subscription, event), fanned out in the same statement as the event, so a
--   subscription sees exactly the events committed after it was created. Ordered per connection by id: every change
--   of a connection holds that connection's row lock (ConnectionService, the sweep), so a later event of the same
--   connection is inserted only after the earlier one committed and gets a larger id. The delivery verticle never
--   sends a delivery while an earlier one of the same subscription and connection is still pending.
-- webhook_attempts: the delivery log, one row per HTTP attempt (status code or error, duration).

CREATE TABLE webhook_subscriptions (
    id          uuid PRIMARY KEY,
    url         text NOT NULL,
    secret      text NOT NULL,
    events      text[] NOT NULL,
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL
);

CREATE TABLE webhook_events (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL,
    connection_id uuid NOT NULL,
    account_id    uuid NOT NULL,
    partner_id    uuid NOT NULL,
    data          jsonb NOT NULL,
    occurred_at   timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
    id              bigserial PRIMARY KEY,
    subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id),
    event_id        bigint NOT NULL REFERENCES webhook_events (id),
    connection_id   uuid NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_status     int,
    last_error      text,
    delivered_at    timestamptz,
    created_at      timestamptz NOT NULL
);
-- the delivery verticle's due scan, and its "is an earlier one of this connection pending?" probe
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (subscription_id, connection_id, id) WHERE status = 'pending';
-- the operator's delivery log, newest first
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (subscription_id, id DESC);

CREATE TABLE webhook_attempts (
    id           bigserial PRIMARY KEY,
    delivery_id  bigint NOT NULL REFERENCES webhook_deliveries (id),
    at           timestamptz NOT NULL,
    status_code  int,
    error        text,
    duration_ms  int NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id DESC);
