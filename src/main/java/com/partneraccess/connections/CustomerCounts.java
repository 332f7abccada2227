package com.partneraccess.connections;

import io.vertx.core.json.JsonObject;

/**
 * How many of the partner's customers (matching the search, if any) each filter of the Customers list shows.
 *
 * @param capped a search matched more than {@link CustomerQuery#SEARCH_COUNTED} customers: the counts were taken over
 *               that many matches and are lower bounds ("1000+")
 */
public record CustomerCounts(int all, int attention, int enabled, int disabled, int expired, int requested,
                             int expiring, boolean capped) {

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

  /** The count as the page shows it: "1000+" (at least) when the search's counts were capped. */
  public String text(CustomerQuery.Filter filter) {
    return capped ? of(filter) + "+" : String.valueOf(of(filter));
  }

  public JsonObject toJson() {
    JsonObject out = new JsonObject();
    for (CustomerQuery.Filter f : CustomerQuery.Filter.values()) {
      out.put(f.param(), of(f));
    }
    return out.put("capped", capped);
  }
}
