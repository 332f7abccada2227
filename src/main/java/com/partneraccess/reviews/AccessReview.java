package com.partneraccess.reviews;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * R30: one access review of an account: when it was created, the period it covers, when it is due, its status
 * ({@code open}, {@code answered}, {@code lapsed}) and, when shown, its partners.
 */
public record AccessReview(UUID id, UUID accountId, String createdAt, String periodFrom, String dueAt, String status,
                           String closedAt, int partners, int answered, int recommended, List<Item> items) {

  /**
   * One partner with access when the review was made: its last use, what it did over the period (activity counts
   * by kind, of the rows its own users wrote), whether it is recommended to disable (unused for the configured
   * days), the owner's answer ({@code keep}, {@code disable}, null) and its access now.
   */
  public record Item(UUID partnerId, String partnerName, String lastUsedAt, boolean recommendedToDisable,
                     Map<String, Integer> activity, String decision, String decidedAt, String accessNow) {
    public JsonObject toJson() {
      JsonObject did = new JsonObject();
      activity.forEach(did::put);
      return new JsonObject().put("partnerId", partnerId.toString()).put("partnerName", partnerName)
          .put("lastUsedAt", lastUsedAt).put("recommendedToDisable", recommendedToDisable).put("activity", did)
          .put("decision", decision).put("decidedAt", decidedAt).put("accessNow", accessNow);
    }
  }

  public boolean open() {
    return "open".equals(status);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("createdAt", createdAt).put("periodFrom", periodFrom)
        .put("dueAt", dueAt).put("status", status).put("closedAt", closedAt).put("partners", partners)
        .put("answered", answered).put("recommended", recommended);
    if (items != null) {
      JsonArray list = new JsonArray();
      items.forEach(i -> list.add(i.toJson()));
      json.put("items", list);
    }
    return json;
  }
}
