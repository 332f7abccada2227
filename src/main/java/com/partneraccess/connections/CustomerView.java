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
                           int jobThreshold, UUID pendingRequestId) {

  static CustomerView from(Row r, Instant now, int jobThreshold) {
    Instant expires = Sql.instant(r, "expires_at");
    String access = ExpiryRule.effectiveAccess(r.getString("access"), expires, now);
    Integer days = ExpiryRule.daysLeft(access, expires, now);
    return new CustomerView(r.getUUID("account_id"), r.getUUID("connection_id"), r.getString("business_name"),
        r.getString("plan"), r.getString("account_status"), r.getString("origin"), access,
        Sql.instant(r, "connected_at"), Sql.instant(r, "last_accessed_at"), expires, days,
        r.getOffsetDateTime("hundredth_job_at") != null, r.getInteger("job_count"), jobThreshold,
        r.getUUID("pending_request"));
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
        .put("canLogIn", "enabled".equals(access) && "active".equals(accountStatus))
        .put("canRequestAccess", !"enabled".equals(access) && pendingRequestId == null)
        .put("pendingRequestId", pendingRequestId == null ? null : pendingRequestId.toString());
  }

  private static String str(Instant i) {
    return i == null ? null : i.toString();
  }
}
