package com.partneraccess.access;

import com.partneraccess.bus.Problem;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The access rules as plain Java (R5, R7, R11-R15): no Vert.x, no database. The access-rule verticle feeds
 * it the one row it read; the expiry itself is {@link ExpiryRule}'s, the Java twin of {@code connection_expiry}.
 */
public final class RuleEvaluator {

  /**
   * What the access check reads in one indexed query: the stored expiry (derived from {@code inputs} by the
   * database's one writer; null while the clock is not running) and those inputs, so an access not flushed yet
   * extends the expiry by the same rule.
   */
  public record ConnectionView(UUID connectionId, String access, Instant expiresAt, String accountStatus,
                               String businessName, ExpiryRule.Inputs inputs, boolean inScope) {

    /** A connection the calling teammate may act on (an admin's, or a member's assigned one). */
    public ConnectionView(UUID connectionId, String access, Instant expiresAt, String accountStatus,
                          String businessName, ExpiryRule.Inputs inputs) {
      this(connectionId, access, expiresAt, accountStatus, businessName, inputs, true);
    }
  }

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
   * Decides one access. {@code pendingTouch} is an access this process saw but has not flushed yet: the expiry
   * in force is then the one the flush will store, {@link ExpiryRule} of the inputs with that access.
   */
  public static Decision decide(ConnectionView row, Instant now, Instant pendingTouch, Duration ttl) {
    if (row == null) {
      return Decision.refuse(Problem.NOT_CONNECTED, null);
    }
    if (!row.inScope()) {
      // R28: a member acts only on the customers assigned to it; unassigning takes effect on the next request
      return Decision.refuse(Problem.NOT_ASSIGNED, null);
    }
    if ("cancelled".equals(row.accountStatus())) {
      return Decision.refuse(Problem.ACCOUNT_CANCELLED, null);
    }
    Instant expiry = row.expiresAt();
    if ("enabled".equals(row.access()) && pendingTouch != null) {
      expiry = row.inputs().accessedAt(pendingTouch).expiry(ttl);
    }
    switch (row.access()) {
      case "disabled":
        return Decision.refuse(Problem.ACCESS_DISABLED, expiry);
      case "expired":
        return Decision.refuse(Problem.ACCESS_EXPIRED, expiry);
      case "enabled":
        // R14: enforced on every check, whether or not a sweep has run.
        if (ExpiryRule.passed(expiry, now)) {
          return Decision.refuse(Problem.ACCESS_EXPIRED, expiry);
        }
        return Decision.allow(expiry);
      default:
        return Decision.refuse(Problem.FORBIDDEN, expiry);
    }
  }
}
