-- R29: time-boxed access. A partner's request carries a reason and may ask for a length (1, 7 or 30 days, or
-- "until the 60-day rule": NULL); the owner approves for that length or one of its own. The approval stores the
-- grant's end on the connection; access then ends at the EARLIER of the grant's end and the 60-day rule.
--
-- One writer stays one writer: connections.expires_at is still written only by the trigger of V008, whose
-- function is replaced here to take the grant's end as one more input. The Java twin is access/ExpiryRule
-- (expiry(..., grantEndsAt, ttl)); ExpiryRuleAgreementTest holds the two against each other on random inputs.

ALTER TABLE access_requests
    ADD COLUMN reason         text CHECK (char_length(reason) <= 500),
    ADD COLUMN requested_days int CHECK (requested_days IN (1, 7, 30)),
    ADD COLUMN granted_days   int CHECK (granted_days IN (1, 7, 30));

-- The grant in force: its end (NULL: none, the 60-day rule alone), its length and who approved it (for the
-- sentence "the 7-day grant approved by ... ended"). Approving a request sets all three; enabling access directly
-- (not through a request) clears them.
ALTER TABLE connections
    ADD COLUMN grant_ends_at     timestamptz,
    ADD COLUMN grant_days        int CHECK (grant_days IN (1, 7, 30)),
    ADD COLUMN grant_approved_by uuid REFERENCES users (id),
    ADD CONSTRAINT connections_grant_whole CHECK ((grant_ends_at IS NULL) = (grant_days IS NULL));

-- The access end: the 60-day rule's expiry (connection_expiry of V008, NULL while its clock has not started) or
-- the grant's end, whichever comes first. LEAST ignores NULLs: with no grant it is the rule's expiry, with no
-- running clock it is the grant's end.
CREATE OR REPLACE FUNCTION connection_expiry(p_last_access timestamptz, p_enabled_at timestamptz,
                                             p_hundredth_job_at timestamptz, p_rule_from timestamptz,
                                             p_grant_ends_at timestamptz)
    RETURNS timestamptz
    LANGUAGE sql STABLE AS
$$
SELECT LEAST(connection_expiry(p_last_access, p_enabled_at, p_hundredth_job_at, p_rule_from), p_grant_ends_at)
$$;

CREATE OR REPLACE FUNCTION connections_derive_expiry()
    RETURNS trigger
    LANGUAGE plpgsql VOLATILE AS
$$
BEGIN
    IF NEW.access = 'enabled' AND NEW.disconnected_at IS NULL THEN
        SELECT connection_expiry(NEW.last_accessed_at, NEW.enabled_at, a.hundredth_job_at, a.expiry_rule_from,
                                 NEW.grant_ends_at)
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
