package com.partneraccess.webhooks;

import java.util.Arrays;
import java.util.List;

/** R33: the events the host product can subscribe to, with their names on the wire. */
public enum WebhookKind {
  CONNECTION_CREATED("connection.created"),
  CONNECTION_DISCONNECTED("connection.disconnected"),
  ACCESS_ENABLED("access.enabled"),
  ACCESS_DISABLED("access.disabled"),
  ACCESS_EXPIRED("access.expired"),
  REQUEST_RAISED("request.raised"),
  REQUEST_DECIDED("request.decided");

  public final String wire;

  WebhookKind(String wire) {
    this.wire = wire;
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(k -> k.wire).toList();
  }
}
