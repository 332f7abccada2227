-- Issue 10, goal 4: the expiry sweep at scale. One NOTIFY per batch instead of three per expired connection.
--
-- A sweep batch used to queue a NOTIFY on `banners` and one on `access_changes` for every connection it expired,
-- and one on `notifications` per recipient: 100,000 due connections meant 300,000 NOTIFYs delivered at the commits,
-- each parsed by every instance's listeners. A NOTIFY's payload is at most 8,000 bytes, so a batch's events do
-- not fit in one. Instead the batch stores its events here, one row per channel (the payloads, exactly what the
-- per-row NOTIFY carried, in order), in the batch's own transaction, and sends ONE NOTIFY on channel
-- `live_batches` whose payload is the batch id. Each instance's listeners (banner/BannerVerticle for `banners` and
-- `access_changes`, notifications/NotificationVerticle for `notifications`) fetch the rows of that id on their
-- LISTEN connection and handle every payload as if it had arrived on its own channel. The NOTIFY is delivered only
-- on commit, and the rows roll back with the batch: a batch that rolled back is never told about.
--
-- The rows are needed only until every instance has fetched them (milliseconds); the sweep deletes those older
-- than an hour at its start (expiry/ExpiryRepository.PRUNE_LIVE_BATCHES), so the table stays small.
CREATE SEQUENCE live_batch_ids;

CREATE TABLE live_batches (
    id         bigint      NOT NULL,
    channel    text        NOT NULL CHECK (channel IN ('banners', 'access_changes', 'notifications')),
    payloads   text[]      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, channel)
);
CREATE INDEX live_batches_created ON live_batches (created_at);
