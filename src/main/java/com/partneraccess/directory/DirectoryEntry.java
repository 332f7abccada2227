package com.partneraccess.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/**
 * One listed partner as a customer finds it: organisation, region, services, description, tier badge, and whether it
 * is already connected to the customer's account (then there is nothing to contact it for).
 */
public record DirectoryEntry(UUID partnerId, String organisation, String region, List<String> services,
                             String description, String tier, boolean connected) {

  DirectoryEntry withTier(String tier) {
    return new DirectoryEntry(partnerId, organisation, region, services, description, tier, connected);
  }

  public JsonObject toJson() {
    return new JsonObject().put("partnerId", partnerId.toString()).put("organisation", organisation)
        .put("region", region).put("services", new JsonArray(services)).put("description", description)
        .put("tier", tier).put("connected", connected);
  }
}
