package com.partneraccess.banner;

import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** A stored banner (R17): its kind, its sentence, the request it is about (access requests) and who it concerns. */
public record Banner(UUID id, String kind, String message, UUID requestId, UUID partnerId, UUID accountId,
                     String createdAt) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("kind", kind)
        .put("message", message)
        .put("requestId", requestId == null ? null : requestId.toString())
        .put("partnerId", partnerId == null ? null : partnerId.toString())
        .put("accountId", accountId.toString())
        .put("createdAt", createdAt);
  }
}
