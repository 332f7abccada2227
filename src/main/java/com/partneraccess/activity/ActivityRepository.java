package com.partneraccess.activity;

import com.partneraccess.db.FilterStatements;
import com.partneraccess.db.FilterStatements.Filter;
import com.partneraccess.db.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** R23: reads an account's activity history, newest first, filtered, a page at a time. */
public final class ActivityRepository {
  /** One page of an account's activity, newest first, with no filter: $1 the account, $2 the page size plus one. */
  static final String PAGE = """
      SELECT h.id, h.at, h.kind, h.summary, u.name AS user_name, p.name AS partner_name, up.name AS actor_organisation
        FROM activity h LEFT JOIN users u ON u.id = h.actor_user_id LEFT JOIN partners p ON p.id = h.partner_id
        LEFT JOIN partners up ON up.id = u.partner_id
       WHERE h.account_id = $1::uuid
       ORDER BY h.id DESC LIMIT $2::int""";
  /**
   * The page with the filters given ({@link FilterStatements}): the user, the partner, the kind (a group matches
   * every kind of it: "access" matches "access.enabled"), from, to (the range [from, to)), older than an id.
   */
  private static final FilterStatements PAGES = new FilterStatements(PAGE.substring(0, PAGE.indexOf("\n ORDER BY")),
      List.of(Filter.equal(" AND h.actor_user_id = {0}::uuid"), Filter.equal(" AND h.partner_id = {0}::uuid"),
          Filter.equal(" AND (h.kind = {0}::text OR split_part(h.kind, '.', 1) = {0}::text)"),
          Filter.bound(" AND h.at >= {0}::timestamptz"), Filter.bound(" AND h.at < {0}::timestamptz"),
          Filter.bound(" AND h.id < {0}::bigint")),
      "\n ORDER BY h.id DESC LIMIT {0}::int");

  /** The page statement with only the given filters; their values follow the account's, in this order. */
  static String pageStatement(boolean user, boolean partner, boolean kind, boolean from, boolean to, boolean before) {
    return PAGES.of(user, partner, kind, from, to, before);
  }


  /**
   * R32: the first batch of the CSV export, oldest first: $1 account, $2 from (inclusive), $3 to (exclusive), $4
   * batch size. Each batch is one short query on {@code activity_account_at} (V090), so an export holds neither a
   * connection nor a transaction while it waits for a slow client.
   */
  static final String RANGE_FIRST = """
      SELECT h.id, h.at, h.kind, h.summary, u.name AS user_name, p.name AS partner_name, up.name AS actor_organisation
        FROM activity h LEFT JOIN users u ON u.id = h.actor_user_id LEFT JOIN partners p ON p.id = h.partner_id
        LEFT JOIN partners up ON up.id = u.partner_id
       WHERE h.account_id = $1 AND h.at >= $2 AND h.at < $3
       ORDER BY h.at, h.id LIMIT $4""";

  /** R32: the next batch, after the keyset ($4 at, $5 id) of the previous one; $6 batch size. A range scan each. */
  static final String RANGE_NEXT = """
      SELECT h.id, h.at, h.kind, h.summary, u.name AS user_name, p.name AS partner_name, up.name AS actor_organisation
        FROM activity h LEFT JOIN users u ON u.id = h.actor_user_id LEFT JOIN partners p ON p.id = h.partner_id
        LEFT JOIN partners up ON up.id = u.partner_id
       WHERE h.account_id = $1 AND (h.at, h.id) > ($4, $5) AND h.at >= $2 AND h.at < $3
       ORDER BY h.at, h.id LIMIT $6""";

  private final Pool pool;

  public ActivityRepository(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  public Future<ActivityService.ActivityPage> page(ActivityQuery q) {
    java.util.UUID user = q.person() != null && !q.person().isPartner() ? q.person().id() : null;
    java.util.UUID partner = q.person() != null && q.person().isPartner() ? q.person().id() : null;
    Tuple params = Tuple.of(q.accountId());
    if (user != null) {
      params.addUUID(user);
    }
    if (partner != null) {
      params.addUUID(partner);
    }
    if (q.kind() != null) {
      params.addString(q.kind());
    }
    if (q.from() != null) {
      params.addOffsetDateTime(utc(q.from()));
    }
    if (q.to() != null) {
      params.addOffsetDateTime(utc(q.to()));
    }
    if (q.beforeId() != null) {
      params.addLong(q.beforeId());
    }
    params.addInteger(q.limit() + 1);
    return pool.preparedQuery(pageStatement(user != null, partner != null, q.kind() != null, q.from() != null,
            q.to() != null, q.beforeId() != null)).execute(params).map(rows -> {
          List<ActivityEntry> out = new ArrayList<>();
          String next = null;
          for (Row r : rows) {
            if (out.size() == q.limit()) {
              next = ActivityQuery.cursorAfter(out.get(out.size() - 1));
              break;
            }
            out.add(entry(r));
          }
          return new ActivityService.ActivityPage(out, next);
        });
  }

  private static OffsetDateTime utc(Instant i) {
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }

  /** R32: the batch of {@code [from, to)} after the entry ({@code afterAt}, {@code afterId}), or the first. */
  Future<List<ActivityEntry>> rangeBatch(UUID accountId, Instant from, Instant to, Instant afterAt, long afterId,
                                         int limit) {
    Tuple range = Tuple.of(accountId, AccessHistoryRepository.utc(from), AccessHistoryRepository.utc(to));
    var query = afterAt == null
        ? pool.preparedQuery(RANGE_FIRST).execute(range.addInteger(limit))
        : pool.preparedQuery(RANGE_NEXT).execute(range.addOffsetDateTime(AccessHistoryRepository.utc(afterAt))
            .addLong(afterId).addInteger(limit));
    return query.map(rows -> {
          List<ActivityEntry> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(entry(r)));
          return out;
        });
  }

  static ActivityEntry entry(Row r) {
    return new ActivityEntry(r.getLong("id"), Sql.iso(r, "at"), r.getString("kind"), r.getString("summary"),
        r.getString("user_name"), r.getString("partner_name"), r.getString("actor_organisation"));
  }
}
