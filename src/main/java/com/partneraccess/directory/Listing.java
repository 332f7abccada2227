package com.partneraccess.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/**
 * A partner's directory listing as the partner edits it: its organisation name (the partner's own name), whether it
 * is listed, its region, services and description, and its tier badge (R22, derived from its connections).
 * A partner that never saved one is not listed and has empty fields.
 */
public record Listing(UUID partnerId, String organisation, boolean listed, String region, List<String> services,
                      String description, String tier, String updatedAt) {

  public JsonObject toJson() {
    return new JsonObject().put("partnerId", partnerId.toString()).put("organisation", organisation)
        .put("listed", listed).put("region", region).put("services", new JsonArray(services))
        .put("description", description).put("tier", tier).put("updatedAt", updatedAt);
  }
}
