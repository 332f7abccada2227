package com.partneraccess.notifications;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/** One notification of a user (R27): what happened, the page it is about, when, and whether it was read. */
public record Notification(UUID id, String kind, String message, String link, Instant createdAt, Instant readAt) {
  public boolean unread() {
    return readAt == null;
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("kind", kind).put("message", message).put("link", link)
        .put("createdAt", createdAt.toString()).put("read", readAt != null)
        .put("readAt", readAt == null ? null : readAt.toString());
  }
}
