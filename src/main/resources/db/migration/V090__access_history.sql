-- R32: the history of every connection's access state, so "who could access this account at <moment>" has an
-- answer for past moments (connections keep only the current state, the activity log keeps sentences).
--
-- Append-only: one row per state a connection entered (enabled, disabled, expired, disconnected) and the moment it
-- entered it. Written by ONE writer, the AFTER trigger below, in the transaction of the change itself, as V008's
-- trigger is the one writer of expires_at: every statement that changes access (ConnectionService's enable,
-- disable, approve and disconnect, the invite/referral/"add a customer" inserts, the expiry sweep's one-statement
-- batch, AccountExpiry, and any later writer such as a grant's end) is recorded without a call it could forget,
-- and a change that rolls back leaves no row.
--
-- Expiry is enforced on every check (R14), not when the sweep runs, so the moment a connection stopped being
-- usable is its expires_at, not the sweep's time:
--   * the sweep's change to 'expired' is recorded at the expiry itself (expires_at keeps its value, V008);
--   * a change made after an enabled connection's expiry passed unswept (disable, re-enable, disconnect)
--     first records 'expired' at that expiry, then the change.
-- An open 'enabled' interval (the newest row) is usable at a moment only if the connection's expires_at is after it
-- (activity/AccessHistoryRepository).

CREATE TABLE access_history (
    id            bigserial PRIMARY KEY,
    connection_id uuid NOT NULL REFERENCES connections (id),
    account_id    uuid NOT NULL REFERENCES accounts (id),
    partner_id    uuid NOT NULL REFERENCES partners (id),
    state         text NOT NULL CHECK (state IN ('enabled', 'disabled', 'expired', 'disconnected')),
    from_at       timestamptz NOT NULL,
    reason        text NOT NULL
);
-- "the state of each connection of the account at T": the newest row at or before T per connection
CREATE INDEX access_history_account ON access_history (account_id, connection_id, from_at DESC, id DESC);

CREATE FUNCTION access_history_append()
    RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO access_history (connection_id, account_id, partner_id, state, from_at, reason)
        VALUES (NEW.id, NEW.account_id, NEW.partner_id, NEW.access, NEW.connected_at, 'connected (' || NEW.origin || ')');
        RETURN NULL;
    END IF;
    IF OLD.disconnected_at IS NOT NULL THEN
        RETURN NULL;
    END IF;
    IF NEW.disconnected_at IS NULL AND NEW.access IS NOT DISTINCT FROM OLD.access
       AND NEW.enabled_at IS NOT DISTINCT FROM OLD.enabled_at THEN
        RETURN NULL; -- nothing about access changed
    END IF;
    IF NEW.access = 'expired' AND OLD.access = 'enabled' THEN
        INSERT INTO access_history (connection_id, account_id, partner_id, state, from_at, reason)
        VALUES (NEW.id, NEW.account_id, NEW.partner_id, 'expired',
                LEAST(COALESCE(OLD.expires_at, NEW.access_changed_at), NEW.access_changed_at), 'expired');
    ELSE
        IF OLD.access = 'enabled' AND OLD.expires_at IS NOT NULL AND OLD.expires_at <= NEW.access_changed_at THEN
            INSERT INTO access_history (connection_id, account_id, partner_id, state, from_at, reason)
            VALUES (NEW.id, NEW.account_id, NEW.partner_id, 'expired', OLD.expires_at, 'expired (before any sweep)');
        END IF;
        IF NEW.disconnected_at IS NOT NULL THEN
            INSERT INTO access_history (connection_id, account_id, partner_id, state, from_at, reason)
            VALUES (NEW.id, NEW.account_id, NEW.partner_id, 'disconnected', NEW.disconnected_at,
                    'disconnected by ' || COALESCE(NEW.disconnected_by, 'unknown')
                        || COALESCE(': ' || NEW.disconnect_reason, ''));
        ELSE
            INSERT INTO access_history (connection_id, account_id, partner_id, state, from_at, reason)
            VALUES (NEW.id, NEW.account_id, NEW.partner_id, NEW.access, NEW.access_changed_at, NEW.access);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- Only statements that set access, enabled_at or disconnected_at fire it: the touch flush (last_accessed_at) and the
-- account-level re-derivation (expires_at) do not.
CREATE TRIGGER connections_access_history
    AFTER INSERT OR UPDATE OF access, enabled_at, disconnected_at ON connections
    FOR EACH ROW EXECUTE FUNCTION access_history_append();

-- Connections made before the history existed: what is known is their current state since its last change (and,
-- before it, nothing: such a connection counts as not usable before that moment).
INSERT INTO access_history (connection_id, account_id, partner_id, state, from_at, reason)
SELECT id, account_id, partner_id, access,
       CASE WHEN disconnected_at IS NULL THEN access_changed_at ELSE connected_at END, 'state when the history began'
  FROM connections;
INSERT INTO access_history (connection_id, account_id, partner_id, state, from_at, reason)
SELECT id, account_id, partner_id, 'disconnected', disconnected_at, 'disconnected (before the history began)'
  FROM connections WHERE disconnected_at IS NOT NULL;

-- R32: partner activity around a moment, and the CSV export of a date range, read activity by time.
CREATE INDEX activity_account_at ON activity (account_id, at, id);
