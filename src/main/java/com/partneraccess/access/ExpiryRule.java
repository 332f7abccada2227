package com.partneraccess.access;

import java.time.Duration;
import java.time.Instant;

/**
 * The expiry of a partner's access, in Java (R11-R15): the one derivation the access check (for accesses not
 * flushed yet), the Customers page and the staff list use. Its SQL twin is {@code connection_expiry}, which the
 * trigger of V008 applies on every write of a connection, so the stored {@code expires_at} is this function of
 * the stored inputs; ExpiryRuleAgreementTest holds the two against each other on random inputs.
 */
public final class ExpiryRule {

  /**
   * The inputs of one connection's expiry: its last access and last enabling, its account's 100th-job moment and
   * per-account switch-on (R13), and the global switch-on date of the policy.
   */
  public record Inputs(Instant lastAccessedAt, Instant enabledAt, Instant hundredthJobAt, Instant accountRuleFrom,
                       Instant globalRuleFrom, Instant grantEndsAt) {
    /** Inputs of a connection without a time-boxed grant (R29): the 60-day rule alone. */
    public Inputs(Instant lastAccessedAt, Instant enabledAt, Instant hundredthJobAt, Instant accountRuleFrom,
                  Instant globalRuleFrom) {
      this(lastAccessedAt, enabledAt, hundredthJobAt, accountRuleFrom, globalRuleFrom, null);
    }

    /** The same inputs after an access at {@code at} (R11: every access restarts the 60 days, not a grant). */
    public Inputs accessedAt(Instant at) {
      return at == null ? this : new Inputs(latest(lastAccessedAt, at), enabledAt, hundredthJobAt, accountRuleFrom,
          globalRuleFrom, grantEndsAt);
    }

    public Instant expiry(Duration ttl) {
      return ExpiryRule.expiry(lastAccessedAt, enabledAt, hundredthJobAt, accountRuleFrom, globalRuleFrom,
          grantEndsAt, ttl);
    }
  }

  private ExpiryRule() {}

  /**
   * R11-R13, R15: {@code ttl} after the latest of the last access, the last enabling, the moment the account
   * reached the job threshold and the moment the rule applies to the account (its own switch-on, else the global
   * date); null (never expires, yet) while the threshold is not reached or the rule is not on.
   */
  public static Instant expiry(Instant lastAccess, Instant enabledAt, Instant hundredthJobAt, Instant accountRuleFrom,
                               Instant globalRuleFrom, Duration ttl) {
    Instant ruleFrom = accountRuleFrom != null ? accountRuleFrom : globalRuleFrom;
    if (hundredthJobAt == null || ruleFrom == null) {
      return null;
    }
    return latest(latest(lastAccess, enabledAt), latest(hundredthJobAt, ruleFrom)).plus(ttl);
  }

  /**
   * R29: the end of access: the earlier of the 60-day rule's expiry (above) and the end of a time-boxed grant
   * ({@code grantEndsAt}, null when access was not granted for a length). Twin of the five-argument SQL
   * {@code connection_expiry} of V080.
   */
  public static Instant expiry(Instant lastAccess, Instant enabledAt, Instant hundredthJobAt, Instant accountRuleFrom,
                               Instant globalRuleFrom, Instant grantEndsAt, Duration ttl) {
    return earliest(expiry(lastAccess, enabledAt, hundredthJobAt, accountRuleFrom, globalRuleFrom, ttl), grantEndsAt);
  }

  /** R29: did the grant, rather than the 60-day rule, set this end? (Both at the same moment: the grant.) */
  public static boolean endedByGrant(Instant expiry, Instant grantEndsAt) {
    return expiry != null && expiry.equals(grantEndsAt);
  }

  /** R14: an expiry has passed from its very moment on (a request one second past it is refused). */
  public static boolean passed(Instant expiry, Instant now) {
    return expiry != null && !now.isBefore(expiry);
  }

  /** R5/R14: the access as users see it now: an enabled connection past its expiry is expired, sweep or not. */
  public static String effectiveAccess(String stored, Instant expiry, Instant now) {
    return "enabled".equals(stored) && passed(expiry, now) ? "expired" : stored;
  }

  /** Whole days left, rounded up (0.2 days left reads "1 day"); null unless enabled with a running clock. */
  public static Integer daysLeft(String effectiveAccess, Instant expiry, Instant now) {
    if (expiry == null || !"enabled".equals(effectiveAccess)) {
      return null;
    }
    long seconds = Duration.between(now, expiry).getSeconds();
    return (int) Math.max(0, (seconds + 86_399) / 86_400);
  }

  static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isBefore(b) ? a : b;
  }

  static Instant latest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isAfter(b) ? a : b;
  }
}
