package com.partneraccess.connections;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;

/**
 * Queues a PostgreSQL NOTIFY on channel {@value #CHANNEL} for a change of a connection's access, inside the
 * caller's transaction. PostgreSQL delivers it only on commit, to every instance listening on the database;
 * each instance's BannerVerticle turns it into an {@code access_changed} event on the partner's {@code live.partner.<id>}
 * address (live cut-off, R7, R19).
 * The expiry sweep sends the same payload from SQL.
 */
public final class AccessChanges {
  public static final String CHANNEL = "access_changes";

  static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', $1)";

  private AccessChanges() {}

  /** The event: {@code {connectionId, accountId, partnerId, access, disconnected, at}}. */
  public static JsonObject event(ConnectionChange change, OffsetDateTime at) {
    return new JsonObject()
        .put("connectionId", change.connectionId().toString())
        .put("accountId", change.accountId().toString())
        .put("partnerId", change.partnerId().toString())
        .put("access", change.access())
        .put("disconnected", change.disconnected())
        .put("at", at.toInstant().toString());
  }

  public static Future<ConnectionChange> notify(SqlClient tx, ConnectionChange change,
                                                           OffsetDateTime at) {
    return tx.preparedQuery(NOTIFY).execute(Tuple.of(event(change, at).encode())).map(r -> change);
  }
}
