package com.partneraccess.activity;

import io.vertx.core.json.JsonObject;

/** One row of an account's activity history (R23): when, what, and the user or partner who did it. */
public record ActivityEntry(long id, String at, String kind, String summary, String user, String partner) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("at", at).put("kind", kind).put("summary", summary)
        .put("user", user).put("partner", partner);
  }
}
