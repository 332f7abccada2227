-- One writer for the derived expiry (R11-R13, R15).
--
-- Before this migration six statements computed connections.expires_at, each from the inputs it saw. The
-- touch flush read the accounts row of its own statement snapshot: when it waited on a connection row
-- locked by the transaction that created the 100th job (or by the operator's R13 switch), it wrote back
-- the expiry of the old account row (NULL, or the old rule date) after that transaction had committed the
-- new one, and the partner never expired.
--
-- Design: a BEFORE INSERT OR UPDATE trigger on connections is the only writer of expires_at. Whatever a
-- statement puts in expires_at is replaced:
--   * while access = 'enabled' (and the connection is live), by connection_expiry() of the row's own
--     last_accessed_at and enabled_at and of the account's hundredth_job_at and expiry_rule_from, read by
--     the trigger itself;
--   * otherwise by the old value (NULL on insert): a disabled or expired connection keeps the expiry it had,
--     which the pages show as "Expired on ...".
-- Why a trigger rather than a lock on the inputs or a derivation at read time: it needs no discipline from
-- the statements (the flush, the sweep, enable/approve, jobs, the operator switch, the policy sync and the
-- migrations of other branches cannot get it wrong), it keeps the indexed expires_at the sweep and the
-- warnings read, and it is correct under READ COMMITTED without extra locks. The trigger function is
-- VOLATILE plpgsql, so its SELECT on accounts takes a new snapshot when it runs: a flush that waited on the
-- row lock of a transaction that changed the account sees that transaction's committed account row. An
-- account-level change updates the accounts row first and then touches its live connections (an UPDATE
-- that sets nothing of its own), so its own trigger sees the new account row too; whichever of the two
-- writes a connection last computes from the newest inputs. ExpiryStressTest checks this under load.
--
-- An expiry that has passed stays passed: an account-level change (jobs crossing the threshold, the R13
-- switch) first marks connections already past their expiry as expired, exactly as the sweep would, and
-- re-derives only the others (expiry/AccountExpiry.java). The answer never depends on whether a
-- sweep ran before the change.
--
-- The policy's days are added as 24-hour days, as java.time.Duration.ofDays does in the Java twin of this
-- function (access/ExpiryRule.java), whatever the session's time zone and its daylight-saving changes.

CREATE OR REPLACE FUNCTION connection_expiry(p_last_access timestamptz, p_enabled_at timestamptz,
                                             p_hundredth_job_at timestamptz, p_rule_from timestamptz)
    RETURNS timestamptz
    LANGUAGE sql STABLE AS
$$
SELECT CASE
           WHEN p_hundredth_job_at IS NULL OR COALESCE(p_rule_from, p.rule_from) IS NULL THEN NULL
           ELSE GREATEST(p_last_access, p_enabled_at, p_hundredth_job_at, COALESCE(p_rule_from, p.rule_from))
               + make_interval(hours => 24 * p.expiry_days)
           END
FROM policy p
WHERE p.id = 1
$$;

CREATE FUNCTION connections_derive_expiry()
    RETURNS trigger
    LANGUAGE plpgsql VOLATILE AS
$$
BEGIN
    IF NEW.access = 'enabled' AND NEW.disconnected_at IS NULL THEN
        SELECT connection_expiry(NEW.last_accessed_at, NEW.enabled_at, a.hundredth_job_at, a.expiry_rule_from)
          INTO NEW.expires_at
          FROM accounts a
         WHERE a.id = NEW.account_id;
    ELSIF TG_OP = 'UPDATE' THEN
        NEW.expires_at := OLD.expires_at;
    ELSE
        NEW.expires_at := NULL;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER connections_expiry
    BEFORE INSERT OR UPDATE ON connections
    FOR EACH ROW EXECUTE FUNCTION connections_derive_expiry();

-- Rows written before the trigger existed: derive once (live, enabled rows whose expiry has not passed; the
-- others keep their value, and the sweep marks the passed ones expired).
UPDATE connections SET expires_at = expires_at
 WHERE access = 'enabled' AND disconnected_at IS NULL AND (expires_at IS NULL OR expires_at > now());
