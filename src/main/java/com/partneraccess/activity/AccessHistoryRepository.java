package com.partneraccess.activity;

import com.partneraccess.activity.AccessAtMoment.PartnerAtMoment;
import com.partneraccess.db.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * R32: the SQL of "who could access the account at a moment, and who did", read from {@code access_history}
 * (V090; its one writer is a trigger on connections) and the activity log.
 */
final class AccessHistoryRepository {
  /** At most this many connections are listed for one moment (an account has a handful of partners). */
  static final int PARTNERS_MAX = 500;
  /** At most this many activity rows are listed around one moment. */
  static final int ACTIVITY_MAX = 200;

  /**
   * $1 account, $2 the moment. The state of each connection at $2 is its newest history row at or before $2; an
   * 'enabled' state that is still the newest row was usable only while the connection's expiry had not passed
   * (R14: expiry is enforced on every check, a sweep need not have run). Closed intervals already carry their
   * expiry (the trigger records 'expired' at the expiry itself). Disconnected connections are not listed.
   */
  static final String STATE_AT = """
      WITH state AS (
        SELECT DISTINCT ON (h.connection_id) h.id, h.connection_id, h.partner_id, h.state, h.from_at, h.reason
          FROM access_history h
         WHERE h.account_id = $1 AND h.from_at <= $2
         ORDER BY h.connection_id, h.from_at DESC, h.id DESC
      ), judged AS (
        SELECT s.*, c.expires_at,
               NOT EXISTS (SELECT 1 FROM access_history n
                            WHERE n.connection_id = s.connection_id AND (n.from_at, n.id) > (s.from_at, s.id)) AS newest
          FROM state s JOIN connections c ON c.id = s.connection_id
         WHERE s.state <> 'disconnected'
      )
      SELECT j.connection_id, j.partner_id, p.name AS partner_name, j.state, j.from_at, j.reason,
             (j.state = 'enabled' AND (NOT j.newest OR j.expires_at IS NULL OR j.expires_at > $2)) AS could_access,
             CASE WHEN j.state = 'enabled' AND j.newest AND j.expires_at <= $2 THEN j.expires_at END AS expired_at,
             (SELECT max(a.at) FROM activity a JOIN users u ON u.id = a.actor_user_id AND u.kind = 'partner'
               WHERE a.account_id = $1 AND a.partner_id = j.partner_id AND a.at <= $2) AS last_use_before
        FROM judged j JOIN partners p ON p.id = j.partner_id
       ORDER BY could_access DESC, p.name, j.connection_id
       LIMIT %d""".formatted(PARTNERS_MAX);

  /** $1 account, $2 from, $3 to: what partner users did inside the account in [$2, $3]. */
  static final String PARTNER_ACTIVITY = """
      SELECT h.id, h.at, h.kind, h.summary, u.name AS user_name, p.name AS partner_name, up.name AS actor_organisation
        FROM activity h JOIN users u ON u.id = h.actor_user_id AND u.kind = 'partner'
        LEFT JOIN partners p ON p.id = h.partner_id LEFT JOIN partners up ON up.id = u.partner_id
       WHERE h.account_id = $1 AND h.at >= $2 AND h.at <= $3
       ORDER BY h.at, h.id
       LIMIT %d""".formatted(ACTIVITY_MAX);

  private final Pool pool;

  AccessHistoryRepository(Pool pool) {
    this.pool = pool;
  }

  Future<List<PartnerAtMoment>> stateAt(UUID accountId, Instant at) {
    return pool.preparedQuery(STATE_AT).execute(Tuple.of(accountId, utc(at))).map(rows -> {
      List<PartnerAtMoment> out = new ArrayList<>();
      rows.forEach(r -> out.add(new PartnerAtMoment(r.getUUID("connection_id"), r.getUUID("partner_id"),
          r.getString("partner_name"), r.getString("state"), Sql.iso(r, "from_at"), r.getString("reason"),
          r.getBoolean("could_access"), Sql.iso(r, "expired_at"), Sql.iso(r, "last_use_before"))));
      return out;
    });
  }

  Future<List<ActivityEntry>> partnerActivity(UUID accountId, Instant from, Instant to) {
    return pool.preparedQuery(PARTNER_ACTIVITY).execute(Tuple.of(accountId, utc(from), utc(to))).map(rows -> {
      List<ActivityEntry> out = new ArrayList<>();
      rows.forEach(r -> out.add(ActivityRepository.entry(r)));
      return out;
    });
  }

  static OffsetDateTime utc(Instant at) {
    return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
  }
}
