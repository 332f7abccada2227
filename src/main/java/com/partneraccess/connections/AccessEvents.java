package com.partneraccess.connections;

import com.partneraccess.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Publishes committed access changes on {@code access.changed} for live cut-off and open pages. */
public final class AccessEvents {
  private AccessEvents() {}

  public static void publish(Vertx vertx, ConnectionRepository.Change change) {
    vertx.eventBus().publish(Addresses.ACCESS_CHANGED, new JsonObject()
        .put("connectionId", change.connectionId().toString())
        .put("accountId", change.accountId().toString())
        .put("partnerId", change.partnerId().toString())
        .put("access", change.access())
        .put("disconnected", change.disconnected()));
  }
}
