package com.partneraccess.access;

import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * One access check's question: may this teammate of this partner act in this account. On the loop-local address it
 * travels as it is, inside a {@link LocalCheck}; on {@code rules.check} as JSON, for any other caller.
 */
record CheckRequest(UUID partnerId, UUID userId, UUID accountId) {

  JsonObject toJson() {
    return new JsonObject().put("partnerId", partnerId.toString()).put("userId", userId.toString())
        .put("accountId", accountId.toString());
  }

  /** Reads the JSON form; throws on a missing or malformed id. */
  static CheckRequest fromJson(JsonObject j) {
    return new CheckRequest(UUID.fromString(j.getString("partnerId")), UUID.fromString(j.getString("userId")),
        UUID.fromString(j.getString("accountId")));
  }
}
