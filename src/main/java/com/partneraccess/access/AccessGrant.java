package com.partneraccess.access;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/** A successful access check: the connection, and the expiry in force (null while the clock is not running). */
public record AccessGrant(UUID connectionId, Instant expiresAt, String businessName) {

  JsonObject toJson() {
    return new JsonObject().put("connectionId", connectionId.toString())
        .put("expiresAt", expiresAt == null ? null : expiresAt.toString())
        .put("businessName", businessName);
  }

  static AccessGrant fromJson(JsonObject j) {
    String exp = j.getString("expiresAt");
    return new AccessGrant(UUID.fromString(j.getString("connectionId")), exp == null ? null : Instant.parse(exp),
        j.getString("businessName"));
  }
}
