package com.partneraccess.webhooks;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/** R33: a subscription as the operator sees it; the secret only once, in the answer that created it. */
public record Subscription(UUID id, String url, List<String> events, boolean active, String createdAt, String secret) {
  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("id", id.toString()).put("url", url).put("events", new JsonArray(events))
        .put("active", active).put("createdAt", createdAt);
    if (secret != null) {
      o.put("secret", secret);
    }
    return o;
  }
}
