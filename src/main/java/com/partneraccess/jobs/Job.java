package com.partneraccess.jobs;

import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** A job as the lists show it: who created it is the user's name, or the partner's when a partner did. */
public record Job(UUID id, String title, String createdAt, String createdBy) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("title", title).put("createdAt", createdAt)
        .put("createdBy", createdBy);
  }
}
