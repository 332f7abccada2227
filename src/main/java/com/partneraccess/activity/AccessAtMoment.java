package com.partneraccess.activity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/**
 * R32: who could access an account at a moment, and who did. "Could" is a live connection whose access was
 * enabled and not past its expiry at that instant; "did" is partner activity (log-ins, requests) within
 * {@code windowMinutes} either side of it, and each partner's last use at or before it.
 */
public record AccessAtMoment(String at, int windowMinutes, List<PartnerAtMoment> partners, List<ActivityEntry> activity) {

  /** One connection live at the moment: its state then, since when and why, and its last use before. */
  public record PartnerAtMoment(UUID connectionId, UUID partnerId, String partner, String state, String since,
                                String reason, boolean couldAccess, String expiredAt, String lastUseBefore) {
    public JsonObject toJson() {
      return new JsonObject().put("connectionId", connectionId.toString()).put("partnerId", partnerId.toString())
          .put("partner", partner).put("state", state).put("since", since).put("reason", reason)
          .put("couldAccess", couldAccess).put("expiredAt", expiredAt).put("lastUseBefore", lastUseBefore);
    }
  }

  public List<PartnerAtMoment> couldAccess() {
    return partners.stream().filter(PartnerAtMoment::couldAccess).toList();
  }

  public JsonObject toJson() {
    JsonArray ps = new JsonArray();
    partners.forEach(p -> ps.add(p.toJson()));
    JsonArray did = new JsonArray();
    activity.forEach(e -> did.add(e.toJson()));
    return new JsonObject().put("at", at).put("windowMinutes", windowMinutes).put("partners", ps).put("activity", did);
  }
}
