package com.partneraccess.banner;

import com.partneraccess.authz.TeamScope;
import com.partneraccess.bus.Cursor;
import com.partneraccess.bus.Problem;
import com.partneraccess.db.Sql;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;


/** R17: stored banners, so a page opened later shows them; dismissed banners stay dismissed. */
public final class BannerRepository {
  /** Newest first, after the cursor ($2 time, $3 id) when given; $4 the page size plus one. */
  static final String FOR_ACCOUNT = """
      SELECT b.id, b.kind, b.message, b.request_id, b.partner_id, b.account_id, b.created_at
        FROM banners b WHERE b.audience = 'account' AND b.account_id = $1 AND b.dismissed_at IS NULL
         AND ($2::timestamptz IS NULL OR (b.created_at, b.id) < ($2::timestamptz, $3::uuid))
       ORDER BY b.created_at DESC, b.id DESC LIMIT $4""";
  /** R28: the viewer ($5) sees a banner about a customer if an admin, or a member assigned to that customer. */
  static final String VISIBLE_TO_VIEWER = "EXISTS (SELECT 1 FROM users u WHERE u.id = $5::uuid AND u.partner_id = b.partner_id"
      + " AND u.removed_at IS NULL AND (b.account_id IS NULL OR " + TeamScope.hearsOf("u", "b.account_id", "b.partner_id")
      + "))";
  static final String FOR_PARTNER = """
      SELECT b.id, b.kind, b.message, b.request_id, b.partner_id, b.account_id, b.created_at
        FROM banners b WHERE b.audience = 'partner' AND b.partner_id = $1 AND b.dismissed_at IS NULL
         AND ($2::timestamptz IS NULL OR (b.created_at, b.id) < ($2::timestamptz, $3::uuid))
         AND %s
       ORDER BY b.created_at DESC, b.id DESC LIMIT $4""".formatted(VISIBLE_TO_VIEWER);
  static final String CURSOR_KIND = "banners";
  static final String DISMISS_ACCOUNT = """
      UPDATE banners SET dismissed_at = COALESCE(dismissed_at, $3) WHERE id = $1 AND audience = 'account' AND account_id = $2
      RETURNING id""";
  static final String DISMISS_PARTNER = """
      UPDATE banners b SET dismissed_at = COALESCE(dismissed_at, $3)
       WHERE b.id = $1 AND b.audience = 'partner' AND b.partner_id = $2 AND %s
      RETURNING b.id""".formatted(VISIBLE_TO_VIEWER.replace("$5", "$4"));

  private final Pool pool;
  private final AppClock clock;

  public BannerRepository(Pool pool, AppClock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** A page of banners and the cursor of the next page (null on the last). */
  public record Page(List<Banner> banners, String nextCursor) {}

  public Future<Page> forAccount(UUID accountId, Cursor.TimeKey after, int limit) {
    return page(FOR_ACCOUNT, accountId, after, limit);
  }

  /** The partner's banners that {@code viewerId} may see (R28: a member only those about its assigned customers). */
  public Future<Page> forPartner(UUID partnerId, UUID viewerId, Cursor.TimeKey after, int limit) {
    return page(FOR_PARTNER, Tuple.of(partnerId, after == null ? null : after.at(), after == null ? null : after.id(),
        limit + 1, viewerId), limit);
  }

  private Future<Page> page(String sql, UUID owner, Cursor.TimeKey after, int limit) {
    return page(sql, Tuple.of(owner, after == null ? null : after.at(), after == null ? null : after.id(), limit + 1),
        limit);
  }

  private Future<Page> page(String sql, Tuple params, int limit) {
    return pool.preparedQuery(sql).execute(params).map(rows -> {
          List<Banner> all = banners(rows);
          if (all.size() <= limit) {
            return new Page(all, null);
          }
          Banner last = all.get(limit - 1);
          return new Page(all.subList(0, limit), Cursor.timeKey(CURSOR_KIND, last.createdAt(), last.id()));
        });
  }

  public Future<Void> dismissForAccount(UUID accountId, UUID bannerId) {
    return pool.preparedQuery(DISMISS_ACCOUNT)
        .execute(Tuple.of(bannerId, accountId, clock.nowUtc()))
        .compose(rows -> rows.size() > 0 ? Future.<Void>succeededFuture()
            : Future.failedFuture(Problem.NOT_FOUND.exception("No such banner")));
  }

  public Future<Void> dismissForPartner(UUID partnerId, UUID viewerId, UUID bannerId) {
    return pool.preparedQuery(DISMISS_PARTNER).execute(Tuple.of(bannerId, partnerId, clock.nowUtc(), viewerId))
        .compose(rows -> rows.size() > 0 ? Future.<Void>succeededFuture()
            : Future.failedFuture(Problem.NOT_FOUND.exception("No such banner")));
  }

  private static List<Banner> banners(RowSet<Row> rows) {
    List<Banner> out = new ArrayList<>();
    rows.forEach(r -> out.add(new Banner(r.getUUID("id"), r.getString("kind"), r.getString("message"),
        r.getUUID("request_id"), r.getUUID("partner_id"), r.getUUID("account_id"), Sql.iso(r, "created_at"))));
    return out;
  }
}
