-- Issue 10, goal 4: the expiry sweep at scale. R32's history of a connection entering 'expired' is written once per
-- statement instead of once per row.
--
-- V090's AFTER ROW trigger ran a PL/pgSQL function and a one-row INSERT for every connection a sweep batch expired
-- (a third of the batch's time). The one writer of access_history stays a trigger on connections, with the same rows:
--   * the enabled -> expired change of a live connection (the sweep, AccountExpiry) is recorded by a statement-level
--     trigger that reads the statement's transition tables and inserts all of its history rows in one INSERT ... SELECT,
--     each at the same moment as before: LEAST(COALESCE(OLD.expires_at, NEW.access_changed_at), NEW.access_changed_at);
--   * every other change is recorded by V090's row trigger and function, unchanged, now skipped by its WHEN clause for
--     exactly the case above (the function's branch for it is then never reached from an UPDATE).
-- A trigger with transition tables cannot name columns (UPDATE OF ...), so the statement trigger fires on every UPDATE
-- of connections; for statements that expire nothing (the touch flush, the account-level re-derivation) its join finds
-- no row. The join is a hash join: PL/pgSQL plans it once, generically, and would otherwise loop (rows x rows).

CREATE FUNCTION access_history_expired_rows()
    RETURNS trigger
    LANGUAGE plpgsql
    SET enable_nestloop = off AS
$$
BEGIN
    INSERT INTO access_history (connection_id, account_id, partner_id, state, from_at, reason)
    SELECT n.id, n.account_id, n.partner_id, 'expired',
           LEAST(COALESCE(o.expires_at, n.access_changed_at), n.access_changed_at), 'expired'
      FROM expiry_new n JOIN expiry_old o ON o.id = n.id
     WHERE o.access = 'enabled' AND o.disconnected_at IS NULL AND n.access = 'expired'
     ORDER BY n.id;
    RETURN NULL;
END
$$;

DROP TRIGGER connections_access_history ON connections;

CREATE TRIGGER connections_access_history
    AFTER INSERT ON connections
    FOR EACH ROW EXECUTE FUNCTION access_history_append();

CREATE TRIGGER connections_access_history_change
    AFTER UPDATE OF access, enabled_at, disconnected_at ON connections
    FOR EACH ROW
    WHEN (NOT (OLD.access = 'enabled' AND OLD.disconnected_at IS NULL AND NEW.access = 'expired'))
    EXECUTE FUNCTION access_history_append();

CREATE TRIGGER connections_access_history_expired
    AFTER UPDATE ON connections
    REFERENCING OLD TABLE AS expiry_old NEW TABLE AS expiry_new
    FOR EACH STATEMENT EXECUTE FUNCTION access_history_expired_rows();
