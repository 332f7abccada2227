package com.partneraccess.access;

import com.partneraccess.bus.Problem;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The access rules as plain Java (R5, R7, R11-R15): no Vert.x, no database. The access-rule verticle feeds
 * it the one row it read; the same expiry formula is the SQL function {@code connection_expiry}.
 */
public final class RuleEvaluator {

  /** What the access check reads in one indexed query. {@code expiresAt} is null while the clock is not running. */
  public record ConnectionView(UUID connectionId, String access, Instant expiresAt, String accountStatus,
                               String businessName) {}

  /** The outcome: allowed with the expiry in force, or refused with a reason. */
  public record Decision(boolean allowed, Problem refusal, Instant effectiveExpiry) {
    static Decision allow(Instant expiry) {
      return new Decision(true, null, expiry);
    }

    static Decision refuse(Problem p, Instant expiry) {
      return new Decision(false, p, expiry);
    }
  }

  private RuleEvaluator() {}

  /**
   * R12/R13/R11/R15: expiry is {@code ttl} after the latest of the last access, the last enabling, the
   * moment the account reached the job threshold and the moment the rule was switched on for the account;
   * no expiry while the threshold is not reached or the rule is not switched on.
   */
  public static Instant expiry(Instant lastAccess, Instant enabledAt, Instant thresholdReachedAt, Instant ruleFrom,
                               Duration ttl) {
    if (thresholdReachedAt == null || ruleFrom == null) {
      return null;
    }
    Instant base = max(max(lastAccess, enabledAt), max(thresholdReachedAt, ruleFrom));
    return base.plus(ttl);
  }

  /**
   * Decides one access. {@code pendingTouch} is an access this process saw but has not flushed yet; it
   * extends the stored expiry so an access never shortens itself.
   */
  public static Decision decide(ConnectionView row, Instant now, Instant pendingTouch, Duration ttl) {
    if (row == null) {
      return Decision.refuse(Problem.NOT_CONNECTED, null);
    }
    if ("cancelled".equals(row.accountStatus())) {
      return Decision.refuse(Problem.ACCOUNT_CANCELLED, null);
    }
    Instant expiry = row.expiresAt();
    if (expiry != null && pendingTouch != null) {
      expiry = max(expiry, pendingTouch.plus(ttl));
    }
    switch (row.access()) {
      case "disabled":
        return Decision.refuse(Problem.ACCESS_DISABLED, expiry);
      case "expired":
        return Decision.refuse(Problem.ACCESS_EXPIRED, expiry);
      case "enabled":
        // R14: enforced on every check, whether or not a sweep has run.
        if (expiry != null && !now.isBefore(expiry)) {
          return Decision.refuse(Problem.ACCESS_EXPIRED, expiry);
        }
        return Decision.allow(expiry);
      default:
        return Decision.refuse(Problem.FORBIDDEN, expiry);
    }
  }

  private static Instant max(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isAfter(b) ? a : b;
  }
}
