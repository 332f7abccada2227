package com.partneraccess.activity;

import io.vertx.core.json.JsonObject;

/**
 * One row of an account's activity history (R23): when, what, and the user or partner who did it. R28: when a partner's
 * user acted, {@code actorOrganisation} is its organisation, and {@link #actor()} names both ("Sam Lee of Northwind
 * Advisors").
 */
public record ActivityEntry(long id, String at, String kind, String summary, String user, String partner,
                            String actorOrganisation) {

  public ActivityEntry(long id, String at, String kind, String summary, String user, String partner) {
    this(id, at, kind, summary, user, partner, null);
  }

  /** Who did it, in words: the person and, for a partner's user, its organisation; else the partner, or nobody. */
  public String actor() {
    if (user != null && actorOrganisation != null) {
      return user + " of " + actorOrganisation;
    }
    return user != null ? user : partner;
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("at", at).put("kind", kind).put("summary", summary)
        .put("user", user).put("partner", partner).put("actor", actor());
  }
}
