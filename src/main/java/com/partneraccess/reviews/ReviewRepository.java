package com.partneraccess.reviews;

import com.partneraccess.access.ExpiryRule;
import com.partneraccess.banner.BannerStore;
import com.partneraccess.db.Sql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The SQL of access reviews (R30): each method runs one statement and returns records. */
final class ReviewRepository {
  /**
   * Creates the due reviews of up to $3 accounts, with their partners, banners and NOTIFYs, in one statement.
   * $1 now, $2 every (days), $3 batch, $4 due window (days), $5 unused (days), $6 now as ISO text.
   * Due: an active account with a partner whose access is enabled (and not past its end) whose last review (else
   * its oldest such connection) is $2 days old, and no open review. The unique index on open reviews makes a
   * second instance's insert a no-op (idempotent).
   */
  static final String CREATE_DUE = """
      WITH live AS (
        SELECT c.* FROM connections c
         WHERE c.disconnected_at IS NULL AND c.access = 'enabled' AND (c.expires_at IS NULL OR c.expires_at > $1::timestamptz)
      ), due AS (
        SELECT a.id AS account_id, COALESCE(last.created_at, first.since) AS period_from
          FROM accounts a
          CROSS JOIN LATERAL (SELECT max(r.created_at) AS created_at FROM access_reviews r WHERE r.account_id = a.id) last
          CROSS JOIN LATERAL (SELECT min(l.connected_at) AS since FROM live l WHERE l.account_id = a.id) first
         WHERE a.status = 'active' AND first.since IS NOT NULL
           AND COALESCE(last.created_at, first.since) <= $1::timestamptz - make_interval(days => $2::int)
           AND NOT EXISTS (SELECT 1 FROM access_reviews o WHERE o.account_id = a.id AND o.status = 'open')
         ORDER BY a.id
         LIMIT $3::int
      ), created AS (
        INSERT INTO access_reviews (id, account_id, created_at, period_from, due_at, status)
        SELECT gen_random_uuid(), account_id, $1::timestamptz, period_from,
               $1::timestamptz + make_interval(days => $4::int), 'open'
          FROM due
        ON CONFLICT (account_id) WHERE status = 'open' DO NOTHING
        RETURNING id, account_id, period_from
      ), items AS (
        INSERT INTO access_review_items (review_id, partner_id, connection_id, last_used_at, recommended_disable, activity)
        SELECT r.id, l.partner_id, l.id, used.at,
               COALESCE(used.at, l.enabled_at, l.connected_at) <= $1::timestamptz - make_interval(days => $5::int),
               COALESCE((SELECT jsonb_object_agg(k.kind, k.n)
                           FROM (SELECT x.kind, count(*) AS n FROM activity x JOIN users u ON u.id = x.actor_user_id
                                  WHERE x.account_id = r.account_id AND u.partner_id = l.partner_id
                                    AND x.at >= r.period_from AND x.at <= $1::timestamptz
                                  GROUP BY x.kind) k), '{}'::jsonb)
          FROM created r JOIN live l ON l.account_id = r.account_id
          -- the last use: the flushed touch, or a later act in the history (a touch may still be in the buffer)
          CROSS JOIN LATERAL (SELECT GREATEST(l.last_accessed_at,
                                 (SELECT max(x.at) FROM activity x JOIN users u ON u.id = x.actor_user_id
                                   WHERE x.account_id = r.account_id AND u.partner_id = l.partner_id
                                     AND x.at <= $1::timestamptz)) AS at) used
        RETURNING review_id
      ), counted AS (
        SELECT r.id, r.account_id, count(i.review_id) AS partners, gen_random_uuid() AS banner_id
          FROM created r LEFT JOIN items i ON i.review_id = r.id
         GROUP BY r.id, r.account_id
      ), stored AS (
        INSERT INTO banners (id, audience, account_id, partner_id, kind, message, request_id, created_at)
        SELECT banner_id, 'account', account_id, NULL, 'access_review',
               'Access review: ' || partners || CASE WHEN partners = 1 THEN ' partner has' ELSE ' partners have' END
                 || ' access to your account. Keep or disable each one', NULL, $1::timestamptz
          FROM counted
      )
      SELECT c.id, c.account_id,
             pg_notify('%s', json_build_object('id', c.banner_id, 'audience', 'account'::text,
                 'accountId', c.account_id, 'partnerId', NULL::text, 'kind', 'access_review'::text,
                 'message', 'Access review: ' || c.partners
                   || CASE WHEN c.partners = 1 THEN ' partner has' ELSE ' partners have' END
                   || ' access to your account. Keep or disable each one',
                 'requestId', NULL::text, 'createdAt', $6::text)::text) AS banner_sent
        FROM counted c""".formatted(BannerStore.CHANNEL);

  static final String SUMMARY = """
      SELECT r.id, r.account_id, r.created_at, r.period_from, r.due_at, r.status, r.closed_at,
             (SELECT count(*) FROM access_review_items i WHERE i.review_id = r.id) AS partners,
             (SELECT count(*) FROM access_review_items i WHERE i.review_id = r.id AND i.decision IS NOT NULL) AS answered,
             (SELECT count(*) FROM access_review_items i WHERE i.review_id = r.id AND i.recommended_disable) AS recommended
        FROM access_reviews r""";

  static final String LIST = SUMMARY + " WHERE r.account_id = $1 ORDER BY r.created_at DESC, r.id LIMIT $2";

  static final String ONE = SUMMARY + " WHERE r.id = $1 AND r.account_id = $2";

  static final String ITEMS = """
      SELECT i.partner_id, p.name AS partner_name, i.last_used_at, i.recommended_disable, i.activity, i.decision,
             i.decided_at, c.access, c.expires_at, c.disconnected_at
        FROM access_review_items i JOIN partners p ON p.id = i.partner_id JOIN connections c ON c.id = i.connection_id
       WHERE i.review_id = $1
       ORDER BY i.recommended_disable DESC, p.name, i.partner_id""";

  /** One answer per partner, while the review is open: the first answer wins. */
  static final String DECIDE = """
      UPDATE access_review_items i SET decision = $3, decided_at = $4, decided_by = $5
        FROM access_reviews r
       WHERE i.review_id = $1 AND i.partner_id = $2 AND r.id = i.review_id AND r.account_id = $6
         AND r.status = 'open' AND i.decision IS NULL
      RETURNING i.partner_id""";

  static final String CLOSE_IF_ANSWERED = """
      UPDATE access_reviews r SET status = 'answered', closed_at = $2
       WHERE r.id = $1 AND r.status = 'open'
         AND NOT EXISTS (SELECT 1 FROM access_review_items i WHERE i.review_id = r.id AND i.decision IS NULL)
      RETURNING r.account_id""";

  static final String DUE_TO_LAPSE = """
      SELECT r.id, r.account_id FROM access_reviews r
       WHERE r.status = 'open' AND r.due_at <= $1
       ORDER BY r.due_at, r.id LIMIT $2""";

  static final String UNANSWERED = """
      SELECT i.partner_id FROM access_review_items i WHERE i.review_id = $1 AND i.decision IS NULL ORDER BY i.partner_id""";

  /** $3: the decision the no-answer rule records for the partners left unanswered (null: nothing). */
  static final String LAPSE = """
      WITH closed AS (
        UPDATE access_reviews SET status = 'lapsed', closed_at = $2 WHERE id = $1 AND status = 'open' RETURNING id
      )
      UPDATE access_review_items i SET decision = $3, decided_at = $2
        FROM closed WHERE i.review_id = closed.id AND i.decision IS NULL AND $3::text IS NOT NULL
      RETURNING i.partner_id""";

  static final String IS_LAPSED = "SELECT status FROM access_reviews WHERE id = $1";

  static final String DISMISS_BANNER = """
      UPDATE banners SET dismissed_at = $2
       WHERE account_id = $1 AND audience = 'account' AND kind = 'access_review' AND dismissed_at IS NULL""";

  static final String OWNER = """
      SELECT u.id, u.email, u.name, a.business_name FROM accounts a JOIN users u ON u.account_id = a.id AND u.role = 'owner'
       WHERE a.id = $1""";

  private final Pool pool;

  ReviewRepository(Pool pool) {
    this.pool = pool;
  }

  /** A created review: its id and account. */
  record Created(UUID reviewId, UUID accountId) {}

  Pool pool() {
    return pool;
  }

  /** Creates one batch of due reviews in the caller's transaction; fewer than {@code batch} back: nothing more is due. */
  Future<List<Created>> createDue(SqlClient tx, OffsetDateTime now, int everyDays, int batch, int dueDays,
                                  int unusedDays) {
    return tx.preparedQuery(CREATE_DUE)
        .execute(Tuple.from(new Object[] {now, everyDays, batch, dueDays, unusedDays, now.toInstant().toString()}))
        .map(rows -> {
          List<Created> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Created(r.getUUID("id"), r.getUUID("account_id"))));
          return out;
        });
  }

  Future<List<AccessReview>> list(UUID accountId, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(accountId, limit)).map(rows -> {
      List<AccessReview> out = new ArrayList<>();
      rows.forEach(r -> out.add(summary(r, null)));
      return out;
    });
  }

  /** The review with its partners; null when the account has no such review. */
  Future<AccessReview> show(UUID accountId, UUID reviewId, OffsetDateTime now) {
    return show(pool, accountId, reviewId, now);
  }

  /** The same, read through {@code client} (a transaction that just created the review). */
  Future<AccessReview> show(SqlClient client, UUID accountId, UUID reviewId, OffsetDateTime now) {
    return client.preparedQuery(ONE).execute(Tuple.of(reviewId, accountId)).compose(rows -> {
      Row r = Sql.first(rows);
      if (r == null) {
        return Future.succeededFuture(null);
      }
      return client.preparedQuery(ITEMS).execute(Tuple.of(reviewId)).map(items -> {
        List<AccessReview.Item> list = new ArrayList<>();
        items.forEach(i -> list.add(item(i, now)));
        return summary(r, list);
      });
    });
  }

  /** Records an answer if the review is open and the partner not answered yet; true when this call did. */
  Future<Boolean> decide(UUID accountId, UUID reviewId, UUID partnerId, String decision, OffsetDateTime now,
                         UUID userId) {
    return pool.preparedQuery(DECIDE)
        .execute(Tuple.from(new Object[] {reviewId, partnerId, decision, now, userId, accountId}))
        .map(rows -> rows.size() > 0);
  }

  /** Closes the review once every partner is answered, and takes its banner down; true when it closed. */
  Future<Boolean> closeIfAnswered(UUID reviewId, OffsetDateTime now) {
    return pool.withTransaction(tx -> tx.preparedQuery(CLOSE_IF_ANSWERED).execute(Tuple.of(reviewId, now))
        .compose(rows -> {
          Row r = Sql.first(rows);
          return r == null ? Future.succeededFuture(false) : dismissBanner(tx, r.getUUID("account_id"), now).map(v -> true);
        }));
  }

  Future<List<Created>> dueToLapse(OffsetDateTime now, int batch) {
    return pool.preparedQuery(DUE_TO_LAPSE).execute(Tuple.of(now, batch)).map(rows -> {
      List<Created> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Created(r.getUUID("id"), r.getUUID("account_id"))));
      return out;
    });
  }

  Future<List<UUID>> unanswered(UUID reviewId) {
    return pool.preparedQuery(UNANSWERED).execute(Tuple.of(reviewId)).map(rows -> {
      List<UUID> out = new ArrayList<>();
      rows.forEach(r -> out.add(r.getUUID("partner_id")));
      return out;
    });
  }

  /** Marks the review lapsed (recording {@code decision} for the unanswered, or nothing) and takes its banner down. */
  Future<Void> lapse(Created review, OffsetDateTime now, String decision) {
    return pool.withTransaction(tx -> tx.preparedQuery(LAPSE).execute(Tuple.of(review.reviewId(), now, decision))
        .compose(rows -> dismissBanner(tx, review.accountId(), now)));
  }

  private static Future<Void> dismissBanner(SqlClient tx, UUID accountId, OffsetDateTime now) {
    return tx.preparedQuery(DISMISS_BANNER).execute(Tuple.of(accountId, now)).mapEmpty();
  }

  /** The owner's address, name and business name, for the review's e-mail; null without an owner. */
  record Owner(UUID userId, String email, String name, String businessName) {}

  Future<Owner> owner(SqlClient client, UUID accountId) {
    return client.preparedQuery(OWNER).execute(Tuple.of(accountId)).map(rows -> {
      Row r = Sql.first(rows);
      return r == null ? null : new Owner(r.getUUID("id"), r.getString("email"), r.getString("name"),
          r.getString("business_name"));
    });
  }

  private static AccessReview summary(Row r, List<AccessReview.Item> items) {
    return new AccessReview(r.getUUID("id"), r.getUUID("account_id"), Sql.iso(r, "created_at"),
        Sql.iso(r, "period_from"), Sql.iso(r, "due_at"), r.getString("status"), Sql.iso(r, "closed_at"),
        r.getLong("partners").intValue(), r.getLong("answered").intValue(), r.getLong("recommended").intValue(), items);
  }

  private static AccessReview.Item item(Row i, OffsetDateTime now) {
    Map<String, Integer> did = new LinkedHashMap<>();
    Object raw = i.getValue("activity");
    JsonObject json = raw instanceof JsonObject j ? j : new JsonObject(String.valueOf(raw));
    json.fieldNames().stream().sorted().forEach(k -> did.put(k, json.getInteger(k)));
    String access = i.getOffsetDateTime("disconnected_at") != null ? "disconnected"
        : ExpiryRule.effectiveAccess(i.getString("access"), Sql.instant(i, "expires_at"), now.toInstant());
    return new AccessReview.Item(i.getUUID("partner_id"), i.getString("partner_name"), Sql.iso(i, "last_used_at"),
        i.getBoolean("recommended_disable"), did, i.getString("decision"), Sql.iso(i, "decided_at"), access);
  }
}
