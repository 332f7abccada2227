package com.partneraccess.activity;

import com.partneraccess.db.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** R23: reads an account's activity history, newest first, a page at a time. */
public final class ActivityRepository {
  static final String PAGE = """
      SELECT h.id, h.at, h.kind, h.summary, u.name AS user_name, p.name AS partner_name, up.name AS actor_organisation
        FROM activity h LEFT JOIN users u ON u.id = h.actor_user_id LEFT JOIN partners p ON p.id = h.partner_id
        LEFT JOIN partners up ON up.id = u.partner_id
       WHERE h.account_id = $1 AND ($2::bigint IS NULL OR h.id < $2)
       ORDER BY h.id DESC LIMIT $3""";

  private final Pool pool;

  public ActivityRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<List<ActivityEntry>> page(UUID accountId, Long before, int limit) {
    return pool.preparedQuery(PAGE).execute(Tuple.of(accountId, before, limit)).map(rows -> {
      List<ActivityEntry> out = new ArrayList<>();
      rows.forEach(r -> out.add(new ActivityEntry(r.getLong("id"), Sql.iso(r, "at"), r.getString("kind"),
          r.getString("summary"), r.getString("user_name"), r.getString("partner_name"),
          r.getString("actor_organisation"))));
      return out;
    });
  }
}
