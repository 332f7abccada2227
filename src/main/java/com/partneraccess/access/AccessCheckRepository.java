package com.partneraccess.access;

import com.partneraccess.authz.TeamScope;
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
  /**
   * Reads the live connection through {@code connections_live}, its account by primary key and the policy row:
   * the stored expiry and the inputs it is derived from; and (R28, {@link TeamScope}: the user by primary key, its
   * assignment by primary key) whether the calling teammate may act on this customer.
   */
  static final String READ_CONNECTION = """
      SELECT c.id, c.access, c.expires_at, a.status, a.business_name, c.last_accessed_at, c.enabled_at,
             a.hundredth_job_at, a.expiry_rule_from, p.rule_from AS global_rule_from, c.grant_ends_at, """
      + TeamScope.visibleTo("$3") + """
       AS in_scope
        FROM connections c JOIN accounts a ON a.id = c.account_id JOIN policy p ON p.id = 1
       WHERE c.partner_id = $1 AND c.account_id = $2 AND c.disconnected_at IS NULL""";

  /**
   * Writes only {@code last_accessed_at}: the trigger of V008 derives {@code expires_at} from the committed
   * account row. Rows are locked in id order, as the account-level re-derivation locks them, so the two never
   * deadlock.
   */
  static final String FLUSH_TOUCHES = """
      WITH t AS (
        SELECT * FROM unnest($1::uuid[], $2::timestamptz[]) AS t(id, at)
      ), locked AS (
        SELECT c.id FROM connections c
         WHERE c.id = ANY ($1::uuid[]) AND c.disconnected_at IS NULL
         ORDER BY c.id
         FOR UPDATE
      )
      UPDATE connections c
         SET last_accessed_at = GREATEST(c.last_accessed_at, t.at)
        FROM t
       WHERE c.id = t.id AND c.id IN (SELECT id FROM locked)""";

  private final Pool pool;

  AccessCheckRepository(Pool pool) {
    this.pool = pool;
  }

  Future<RuleEvaluator.ConnectionView> read(UUID partnerId, UUID userId, UUID accountId) {
    return pool.preparedQuery(READ_CONNECTION).execute(Tuple.of(partnerId, accountId, userId)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      return new RuleEvaluator.ConnectionView(r.getUUID("id"), r.getString("access"), instant(r, "expires_at"),
          r.getString("status"), r.getString("business_name"),
          new ExpiryRule.Inputs(instant(r, "last_accessed_at"), instant(r, "enabled_at"),
              instant(r, "hundredth_job_at"), instant(r, "expiry_rule_from"), instant(r, "global_rule_from"),
              instant(r, "grant_ends_at")),
          Boolean.TRUE.equals(r.getBoolean("in_scope")));
    });
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
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
