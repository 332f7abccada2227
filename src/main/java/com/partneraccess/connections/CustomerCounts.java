package com.partneraccess.connections;

import io.vertx.core.json.JsonObject;

/** How many of the partner's customers (matching the search, if any) each filter of the Customers list shows. */
public record CustomerCounts(int all, int attention, int enabled, int disabled, int expired, int requested,
                             int expiring) {

  public int of(CustomerQuery.Filter filter) {
    return switch (filter) {
      case ALL -> all;
      case ATTENTION -> attention;
      case ENABLED -> enabled;
      case DISABLED -> disabled;
      case EXPIRED -> expired;
      case REQUESTED -> requested;
      case EXPIRING -> expiring;
    };
  }

  public JsonObject toJson() {
    JsonObject out = new JsonObject();
    for (CustomerQuery.Filter f : CustomerQuery.Filter.values()) {
      out.put(f.param(), of(f));
    }
    return out;
  }
}
