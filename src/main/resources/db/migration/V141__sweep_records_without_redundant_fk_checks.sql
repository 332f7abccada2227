-- Issue 10, goal 4: the expiry sweep at scale. Five foreign-key checks per expired connection that only repeat what
-- the rows' one writer already guarantees are dropped; what they protected on the referenced side is kept by a
-- delete guard on that side, which costs nothing on the insert path.
--
-- Measured on 1,000,000 connections (100,000 due; bench/results/sweep.md, "Reading"): a sweep batch of 1,000 ran 16
-- foreign-key checks per connection (one SPI query with a FOR KEY SHARE row lock each), together about a quarter of
-- the batch's database CPU. A foreign-key check is row by row in PostgreSQL, whatever the statement's shape.
--
-- Dropped, and why the check can never fail:
--   * access_history.connection_id, .account_id, .partner_id: access_history has ONE writer (V090, V111), the
--     triggers on connections, which copy the three ids from the connection row that fired them. That row exists (it
--     is being inserted or updated), and its own foreign keys (connections.account_id, connections.partner_id)
--     guarantee the account and the partner; no statement changes a connection's account_id or partner_id.
--   * webhook_deliveries.event_id, .subscription_id: every delivery is inserted in the statement that inserts its
--     event, from that INSERT's RETURNING, joined to the subscriptions read by the same statement
--     (webhooks/WebhookOutbox: RECORD and expiredCtes are the only writers).
-- What the checks also did on the referenced side (refuse to delete a row that still has such rows) is kept by the
-- guards below: the service never deletes connections, webhook events or subscriptions (it disconnects and
-- deactivates instead), so a delete can only come from a hand-written statement, and it is refused as before, with
-- the same SQLSTATE (23503). Every connection has history rows from its insert on, so a connection is never deletable.
-- The other checks of the sweep's rows stay: activity, banners, notifications and mail_outbox have many writers.

ALTER TABLE access_history
    DROP CONSTRAINT access_history_connection_id_fkey,
    DROP CONSTRAINT access_history_account_id_fkey,
    DROP CONSTRAINT access_history_partner_id_fkey;

ALTER TABLE webhook_deliveries
    DROP CONSTRAINT webhook_deliveries_event_id_fkey,
    DROP CONSTRAINT webhook_deliveries_subscription_id_fkey;

CREATE FUNCTION refuse_delete_of_referenced()
    RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'rows of % are never deleted: % refers to them (%)', TG_TABLE_NAME, TG_ARGV[0], TG_OP
        USING ERRCODE = 'foreign_key_violation';
END
$$;

-- every connection has access_history rows (its insert wrote the first), so every delete of a connection is refused
CREATE TRIGGER connections_never_deleted
    BEFORE DELETE OR TRUNCATE ON connections
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete_of_referenced('access_history');

-- a webhook event or subscription with deliveries cannot be deleted (as with the dropped foreign keys); one without
-- deliveries can. Row-level, only on delete: the insert path pays nothing.
CREATE FUNCTION refuse_delete_with_deliveries()
    RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    -- one branch per table: OLD.id is a bigint in one and a uuid in the other
    IF TG_TABLE_NAME = 'webhook_events' THEN
        IF EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = OLD.id) THEN
            RAISE EXCEPTION 'webhook event % has deliveries', OLD.id USING ERRCODE = 'foreign_key_violation';
        END IF;
    ELSIF EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.subscription_id = OLD.id) THEN
        RAISE EXCEPTION 'webhook subscription % has deliveries', OLD.id USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER webhook_events_keep_delivered
    BEFORE DELETE ON webhook_events
    FOR EACH ROW EXECUTE FUNCTION refuse_delete_with_deliveries();

CREATE TRIGGER webhook_subscriptions_keep_delivered
    BEFORE DELETE ON webhook_subscriptions
    FOR EACH ROW EXECUTE FUNCTION refuse_delete_with_deliveries();

-- TRUNCATE skips row triggers: refused for the two tables as a foreign key would (unless with the deliveries)
CREATE FUNCTION refuse_truncate_with_deliveries()
    RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF EXISTS (SELECT 1 FROM webhook_deliveries) THEN
        RAISE EXCEPTION '% cannot be truncated while webhook_deliveries has rows', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER webhook_events_truncate_guard
    BEFORE TRUNCATE ON webhook_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_with_deliveries();

CREATE TRIGGER webhook_subscriptions_truncate_guard
    BEFORE TRUNCATE ON webhook_subscriptions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_with_deliveries();
