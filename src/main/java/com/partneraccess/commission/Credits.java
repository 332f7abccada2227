package com.partneraccess.commission;

import io.vertx.core.json.JsonObject;

/** R22: the partner's status credits, its tier, and how far the next tier is (null at the top tier). */
public record Credits(int credits, int connectedCustomers, String tier, String nextTier, Integer creditsToNextTier) {

  public JsonObject toJson() {
    return new JsonObject().put("credits", credits).put("connectedCustomers", connectedCustomers).put("tier", tier)
        .put("nextTier", nextTier).put("creditsToNextTier", creditsToNextTier);
  }
}
