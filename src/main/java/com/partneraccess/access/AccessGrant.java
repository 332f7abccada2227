package com.partneraccess.access;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * A successful access check: the connection, and the expiry in force (null while the clock is not running). On the
 * event bus the expiry travels as an {@link Instant} value of the JSON object: delivered locally it is handed over as
 * it is (no text to format and parse on the hot path); encoded, it is the ISO-8601 text, which {@link #fromJson} reads
 * too.
 */
public record AccessGrant(UUID connectionId, Instant expiresAt, String businessName) {

  JsonObject toJson() {
    return new JsonObject().put("connectionId", connectionId.toString())
        .put("expiresAt", expiresAt)
        .put("businessName", businessName);
  }

  static AccessGrant fromJson(JsonObject j) {
    return new AccessGrant(UUID.fromString(j.getString("connectionId")), j.getInstant("expiresAt"),
        j.getString("businessName"));
  }
}
