package com.partneraccess.connections;

import com.partneraccess.access.ExpiryRule;
import com.partneraccess.db.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/** A partner as the customer's staff list shows it (R4): marked as a partner, with its access and expiry. */
public record PartnerView(UUID partnerId, UUID connectionId, String name, String origin, String access,
                          Instant connectedAt, Instant lastAccessedAt, Instant expiresAt, Integer daysUntilExpiry,
                          UUID pendingRequestId) {

  static PartnerView from(Row r, Instant now) {
    Instant expires = Sql.instant(r, "expires_at");
    String access = ExpiryRule.effectiveAccess(r.getString("access"), expires, now);
    return new PartnerView(r.getUUID("partner_id"), r.getUUID("connection_id"), r.getString("partner_name"),
        r.getString("origin"), access, Sql.instant(r, "connected_at"), Sql.instant(r, "last_accessed_at"), expires,
        ExpiryRule.daysLeft(access, expires, now),
        r.getUUID("pending_request"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("partnerId", partnerId.toString())
        .put("connectionId", connectionId.toString())
        .put("name", name)
        .put("type", "partner")
        .put("origin", origin)
        .put("access", access)
        .put("connectedAt", connectedAt == null ? null : connectedAt.toString())
        .put("lastAccessedAt", lastAccessedAt == null ? null : lastAccessedAt.toString())
        .put("expiresAt", expiresAt == null ? null : expiresAt.toString())
        .put("daysUntilExpiry", daysUntilExpiry)
        .put("pendingRequestId", pendingRequestId == null ? null : pendingRequestId.toString());
  }
}
