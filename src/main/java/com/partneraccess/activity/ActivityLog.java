package com.partneraccess.activity;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.UUID;

/** R23: writes one activity-history row inside the caller's transaction. */
public final class ActivityLog {
  static final String INSERT = """
      INSERT INTO activity (account_id, at, kind, actor_user_id, partner_id, summary)
      VALUES ($1, $2, $3, $4, $5, $6)""";

  private ActivityLog() {}

  public static Future<Void> record(SqlClient tx, UUID accountId, OffsetDateTime at, String kind, UUID actorUserId,
                                    UUID partnerId, String summary) {
    return tx.preparedQuery(INSERT).execute(Tuple.of(accountId, at, kind, actorUserId, partnerId, summary)).mapEmpty();
  }
}
