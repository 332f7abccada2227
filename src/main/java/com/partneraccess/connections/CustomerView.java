package com.partneraccess.connections;

import com.partneraccess.access.ExpiryRule;
import com.partneraccess.db.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/**
 * One line of a partner's Customers page (R4, R8, R12): connection, access as it is now (an enabled
 * connection past its expiry shows as expired even before the sweep, R14), days left or job progress.
 */
public record CustomerView(UUID accountId, UUID connectionId, String businessName, String plan, String accountStatus,
                           String origin, String access, Instant connectedAt, Instant lastAccessedAt,
                           Instant expiresAt, Integer daysUntilExpiry, boolean clockStarted, int jobCount,
                           int jobThreshold, UUID pendingRequestId, String ownerEmail, Instant pendingRequestAt,
                           boolean everEnabled, Instant grantEndsAt, Integer grantDays, String grantApprover) {

  static CustomerView from(Row r, Instant now, int jobThreshold) {
    Instant expires = Sql.instant(r, "expires_at");
    String access = ExpiryRule.effectiveAccess(r.getString("access"), expires, now);
    Integer days = ExpiryRule.daysLeft(access, expires, now);
    return new CustomerView(r.getUUID("account_id"), r.getUUID("connection_id"), r.getString("business_name"),
        r.getString("plan"), r.getString("account_status"), r.getString("origin"), access,
        Sql.instant(r, "connected_at"), Sql.instant(r, "last_accessed_at"), expires, days,
        r.getOffsetDateTime("hundredth_job_at") != null, r.getInteger("job_count"), jobThreshold,
        r.getUUID("pending_request"), r.getString("owner_email"), Sql.instant(r, "pending_request_at"),
        Boolean.TRUE.equals(r.getBoolean("ever_enabled")), Sql.instant(r, "grant_ends_at"),
        r.getInteger("grant_days"), r.getString("grant_approver"));
  }

  /** R29: access is enabled for a time-boxed grant, and the grant (not the 60-day rule) sets its end. */
  public boolean granted() {
    return "enabled".equals(access) && ExpiryRule.endedByGrant(expiresAt, grantEndsAt);
  }

  /** R29: why access ended, in the partner's words: the grant's end or the 60-day rule; null while not expired. */
  public String accessEndedReason() {
    if (!"expired".equals(access)) {
      return null;
    }
    return ExpiryRule.endedByGrant(expiresAt, grantEndsAt) ? ConnectionTexts.grantEnded(grantDays, grantApprover)
        : "the 60-day rule: no access for 60 days";
  }

  /** R8: the Log in button (API and page alike). */
  public boolean canLogIn() {
    return "enabled".equals(access) && "active".equals(accountStatus);
  }

  /** R16: the Request access button: access off, nothing pending, and an account that still exists. */
  public boolean canRequestAccess() {
    return !"enabled".equals(access) && pendingRequestId == null && "active".equals(accountStatus);
  }

  /**
   * Access is off and the customer never turned it on (a referral connection starts so, R6): "Not enabled yet",
   * not "Disabled by the customer".
   */
  public boolean neverEnabled() {
    return "disabled".equals(access) && !everEnabled;
  }

  /** A request is waiting for the customer's answer. */
  public boolean requested() {
    return !"enabled".equals(access) && pendingRequestId != null;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("accountId", accountId.toString())
        .put("connectionId", connectionId.toString())
        .put("businessName", businessName)
        .put("plan", plan)
        .put("accountStatus", accountStatus)
        .put("origin", origin)
        .put("access", access)
        .put("connectedAt", str(connectedAt))
        .put("lastAccessedAt", str(lastAccessedAt))
        .put("expiresAt", str(expiresAt))
        .put("daysUntilExpiry", daysUntilExpiry)
        .put("expiryClockStarted", clockStarted)
        .put("jobCount", jobCount)
        .put("jobThreshold", jobThreshold)
        .put("canLogIn", canLogIn())
        .put("canRequestAccess", canRequestAccess())
        .put("pendingRequestId", pendingRequestId == null ? null : pendingRequestId.toString())
        .put("ownerEmail", ownerEmail)
        .put("pendingRequestAt", str(pendingRequestAt))
        .put("grantEndsAt", granted() ? str(grantEndsAt) : null)
        .put("grantDays", granted() ? grantDays : null)
        .put("accessEndedReason", accessEndedReason());
  }

  private static String str(Instant i) {
    return i == null ? null : i.toString();
  }
}
