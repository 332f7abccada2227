package com.partneraccess.directory;

import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * A customer's "Contact me" to a listed partner: the business (and its account, so the partner can invite it, R1),
 * who asked, their e-mail and message; handled once the partner has dealt with it.
 */
public record Lead(UUID id, UUID partnerId, UUID accountId, String businessName, String contactName,
                   String contactEmail, String message, String createdAt, String handledAt) {

  public boolean handled() {
    return handledAt != null;
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("accountId", accountId.toString())
        .put("businessName", businessName).put("contactName", contactName).put("contactEmail", contactEmail)
        .put("message", message).put("createdAt", createdAt).put("handledAt", handledAt).put("handled", handled());
  }
}
