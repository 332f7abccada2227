package com.partneraccess.access;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/** The SQL of the hot path: one indexed read per check, one batched write per flush. */
final class AccessCheckRepository {
  /** Reads the live connection through {@code connections_live} and its account by primary key. */
  static final String READ_CONNECTION = """
      SELECT c.id, c.access, c.expires_at, a.status, a.business_name
        FROM connections c JOIN accounts a ON a.id = c.account_id
       WHERE c.partner_id = $1 AND c.account_id = $2 AND c.disconnected_at IS NULL""";

  static final String FLUSH_TOUCHES = """
      UPDATE connections c
         SET last_accessed_at = GREATEST(c.last_accessed_at, t.at),
             expires_at = connection_expiry(GREATEST(c.last_accessed_at, t.at), c.enabled_at,
                                            a.hundredth_job_at, a.expiry_rule_from)
        FROM unnest($1::uuid[], $2::timestamptz[]) AS t(id, at), accounts a
       WHERE c.id = t.id AND a.id = c.account_id AND c.disconnected_at IS NULL""";

  private final Pool pool;

  AccessCheckRepository(Pool pool) {
    this.pool = pool;
  }

  Future<RuleEvaluator.ConnectionView> read(UUID partnerId, UUID accountId) {
    return pool.preparedQuery(READ_CONNECTION).execute(Tuple.of(partnerId, accountId)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      OffsetDateTime exp = r.getOffsetDateTime("expires_at");
      return new RuleEvaluator.ConnectionView(r.getUUID("id"), r.getString("access"),
          exp == null ? null : exp.toInstant(), r.getString("status"), r.getString("business_name"));
    });
  }

  Future<Integer> flush(Map<UUID, Instant> touches) {
    UUID[] ids = touches.keySet().stream().sorted().toArray(UUID[]::new);
    OffsetDateTime[] at = new OffsetDateTime[ids.length];
    for (int i = 0; i < ids.length; i++) {
      at[i] = OffsetDateTime.ofInstant(touches.get(ids[i]), ZoneOffset.UTC);
    }
    return pool.preparedQuery(FLUSH_TOUCHES).execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfOffsetDateTime(at)).map(rows -> rows.rowCount());
  }
}
