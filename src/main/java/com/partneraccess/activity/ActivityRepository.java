package com.partneraccess.activity;

import com.partneraccess.db.Sql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/** R23: reads an account's activity history, newest first, a page at a time. */
public final class ActivityRepository {
  static final String PAGE = """
      SELECT h.id, h.at, h.kind, h.summary, u.name AS user_name, p.name AS partner_name
        FROM activity h LEFT JOIN users u ON u.id = h.actor_user_id LEFT JOIN partners p ON p.id = h.partner_id
       WHERE h.account_id = $1 AND ($2::bigint IS NULL OR h.id < $2)
       ORDER BY h.id DESC LIMIT $3""";

  private final Pool pool;

  public ActivityRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<JsonArray> page(UUID accountId, Long before, int limit) {
    return pool.preparedQuery(PAGE).execute(Tuple.of(accountId, before, limit)).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(new JsonObject()
          .put("id", r.getLong("id"))
          .put("at", Sql.iso(r, "at"))
          .put("kind", r.getString("kind"))
          .put("summary", r.getString("summary"))
          .put("user", r.getString("user_name"))
          .put("partner", r.getString("partner_name"))));
      return out;
    });
  }
}
