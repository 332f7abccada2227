package com.partneraccess.webhooks;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/** R33: one delivery of one event to one subscription, with its attempts when asked for one delivery. */
public record Delivery(long id, UUID subscriptionId, long eventId, String kind, UUID connectionId, String status,
                       int attempts, String nextAttemptAt, Integer lastStatus, String lastError, String deliveredAt,
                       String createdAt, List<Attempt> log) {

  /** One HTTP attempt: when, the status code (null when no answer came) or the error, how long it took. */
  public record Attempt(String at, Integer statusCode, String error, int durationMillis) {
    JsonObject toJson() {
      return new JsonObject().put("at", at).put("statusCode", statusCode).put("error", error)
          .put("durationMillis", durationMillis);
    }
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("id", id).put("subscriptionId", subscriptionId.toString())
        .put("eventId", eventId).put("kind", kind).put("connectionId", connectionId.toString()).put("status", status)
        .put("attempts", attempts).put("nextAttemptAt", "pending".equals(status) ? nextAttemptAt : null)
        .put("lastStatus", lastStatus).put("lastError", lastError).put("deliveredAt", deliveredAt)
        .put("createdAt", createdAt);
    if (log != null) {
      JsonArray a = new JsonArray();
      log.forEach(x -> a.add(x.toJson()));
      o.put("log", a);
    }
    return o;
  }
}
