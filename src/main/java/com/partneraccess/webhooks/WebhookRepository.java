package com.partneraccess.webhooks;

import com.partneraccess.db.Sql;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** R33: the SQL of subscriptions, deliveries and their log; one statement per method, records out. */
public final class WebhookRepository {
  static final String INSERT_SUBSCRIPTION = """
      INSERT INTO webhook_subscriptions (id, url, secret, events, active, created_at)
      VALUES ($1, $2, $3, $4, $5, $6) RETURNING created_at""";

  static final String SUBSCRIPTIONS = """
      SELECT id, url, events, active, created_at FROM webhook_subscriptions ORDER BY created_at, id LIMIT $1""";

  /** Changes what is given (NULL keeps the value). */
  static final String UPDATE_SUBSCRIPTION = """
      UPDATE webhook_subscriptions
         SET url = COALESCE($2, url), events = COALESCE($3, events), active = COALESCE($4, active)
       WHERE id = $1 RETURNING id, url, events, active, created_at""";

  static final String DELIVERY_COLUMNS = """
      d.id, d.subscription_id, d.event_id, e.kind, d.connection_id, d.status, d.attempts, d.next_attempt_at,
      d.last_status, d.last_error, d.delivered_at, d.created_at""";

  /** $1 subscription, $2 status or NULL, $3 before id or NULL, $4 limit: newest first. */
  static final String DELIVERIES = "SELECT " + DELIVERY_COLUMNS + """

        FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
       WHERE d.subscription_id = $1 AND ($2::text IS NULL OR d.status = $2) AND ($3::bigint IS NULL OR d.id < $3)
       ORDER BY d.id DESC LIMIT $4""";

  static final String DELIVERY = "SELECT " + DELIVERY_COLUMNS + """

        FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.id = $1""";

  static final String ATTEMPTS = """
      SELECT at, status_code, error, duration_ms FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id DESC LIMIT $2""";

  /** Redeliver: pending again, due now, with a fresh count of attempts (the log keeps the old ones). */
  static final String REDELIVER = """
      UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $2, delivered_at = NULL
       WHERE id = $1 RETURNING id""";

  /**
   * Claims up to $2 due deliveries at $1 and leases them until $3 (attempt counted now, so a crash mid-flight
   * is retried after the lease). A delivery is due only when no earlier delivery of the same subscription and
   * connection is pending (in order per connection); an inactive subscription's deliveries wait.
   * {@code SKIP LOCKED}: instances claiming at once take disjoint rows.
   */
  static final String CLAIM = """
      WITH due AS (
        SELECT d.id FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.active
         WHERE d.status = 'pending' AND d.next_attempt_at <= $1
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries x
                            WHERE x.status = 'pending' AND x.subscription_id = d.subscription_id
                              AND x.connection_id = d.connection_id AND x.id < d.id)
         ORDER BY d.next_attempt_at, d.id
         LIMIT $2
         FOR UPDATE OF d SKIP LOCKED
      )
      UPDATE webhook_deliveries d SET next_attempt_at = $3, attempts = d.attempts + 1
        FROM webhook_events e, webhook_subscriptions s
       WHERE d.id IN (SELECT id FROM due) AND e.id = d.event_id AND s.id = d.subscription_id
      RETURNING d.id, d.attempts, e.id AS event_id, e.kind, e.data, e.occurred_at, s.url, s.secret""";

  /**
   * The outcome of an attempt: $1 delivery, $2 at, $3 status code (NULL: no answer), $4 error, $5 duration, $6
   * delivered?, $7 next attempt, $8 attempts cap. Gives up ('failed') once the cap is reached.
   */
  static final String FINISH = """
      WITH logged AS (
        INSERT INTO webhook_attempts (delivery_id, at, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5)
      )
      UPDATE webhook_deliveries
         SET status = CASE WHEN $6 THEN 'delivered' WHEN attempts >= $8 THEN 'failed' ELSE 'pending' END,
             delivered_at = CASE WHEN $6 THEN $2 END,
             next_attempt_at = CASE WHEN $6 THEN next_attempt_at ELSE $7 END,
             last_status = $3, last_error = $4
       WHERE id = $1""";

  private final Pool pool;
  private final AppClock clock;

  public WebhookRepository(Pool pool, AppClock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  Future<Subscription> insert(String url, List<String> events, boolean active, String secret) {
    UUID id = UUID.randomUUID();
    return pool.preparedQuery(INSERT_SUBSCRIPTION)
        .execute(Tuple.of(id, url, secret, events.toArray(String[]::new), active, clock.nowUtc()))
        .map(rows -> new Subscription(id, url, events, active, Sql.iso(Sql.first(rows), "created_at"), secret));
  }

  Future<List<Subscription>> subscriptions(int limit) {
    return pool.preparedQuery(SUBSCRIPTIONS).execute(Tuple.of(limit)).map(rows -> {
      List<Subscription> out = new ArrayList<>();
      rows.forEach(r -> out.add(subscription(r)));
      return out;
    });
  }

  /** Null when there is no such subscription. */
  Future<Subscription> update(UUID id, String url, List<String> events, Boolean active) {
    return pool.preparedQuery(UPDATE_SUBSCRIPTION)
        .execute(Tuple.of(id, url, events == null ? null : events.toArray(String[]::new), active))
        .map(rows -> Sql.first(rows) == null ? null : subscription(Sql.first(rows)));
  }

  private static Subscription subscription(Row r) {
    return new Subscription(r.getUUID("id"), r.getString("url"), Arrays.asList(r.getArrayOfStrings("events")),
        r.getBoolean("active"), Sql.iso(r, "created_at"), null);
  }

  Future<List<Delivery>> deliveries(UUID subscriptionId, String status, Long before, int limit) {
    return pool.preparedQuery(DELIVERIES).execute(Tuple.of(subscriptionId, status, before, limit)).map(rows -> {
      List<Delivery> out = new ArrayList<>();
      rows.forEach(r -> out.add(delivery(r, null)));
      return out;
    });
  }

  /** One delivery with its latest {@code attempts} attempts, newest first; null when there is none. */
  Future<Delivery> delivery(long id, int attempts) {
    return pool.preparedQuery(DELIVERY).execute(Tuple.of(id)).compose(rows -> {
      Row d = Sql.first(rows);
      if (d == null) {
        return Future.succeededFuture(null);
      }
      return pool.preparedQuery(ATTEMPTS).execute(Tuple.of(id, attempts)).map(log -> {
        List<Delivery.Attempt> out = new ArrayList<>();
        log.forEach(a -> out.add(new Delivery.Attempt(Sql.iso(a, "at"), a.getInteger("status_code"),
            a.getString("error"), a.getInteger("duration_ms"))));
        return delivery(d, out);
      });
    });
  }

  private static Delivery delivery(Row r, List<Delivery.Attempt> log) {
    return new Delivery(r.getLong("id"), r.getUUID("subscription_id"), r.getLong("event_id"), r.getString("kind"),
        r.getUUID("connection_id"), r.getString("status"), r.getInteger("attempts"), Sql.iso(r, "next_attempt_at"),
        r.getInteger("last_status"), r.getString("last_error"), Sql.iso(r, "delivered_at"), Sql.iso(r, "created_at"),
        log);
  }

  /** True when the delivery exists (and is now pending, due now). */
  Future<Boolean> redeliver(long id) {
    return pool.preparedQuery(REDELIVER).execute(Tuple.of(id, clock.nowUtc())).map(rows -> rows.size() > 0);
  }

  /** A claimed delivery: what to send, where, signed with what. */
  record Claimed(long id, int attempts, long eventId, String kind, JsonObject data, String occurredAt, String url,
                 String secret) {}

  Future<List<Claimed>> claim(Instant now, int batch, Instant leaseUntil) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(utc(now), batch, utc(leaseUntil))).map(rows -> {
      List<Claimed> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Claimed(r.getLong("id"), r.getInteger("attempts"), r.getLong("event_id"),
          r.getString("kind"), (JsonObject) r.getJson("data"), Sql.iso(r, "occurred_at"), r.getString("url"),
          r.getString("secret"))));
      out.sort((a, b) -> Long.compare(a.id(), b.id()));
      return out;
    });
  }

  Future<Void> finish(long id, Instant at, Integer statusCode, String error, int durationMillis, boolean delivered,
                      Instant next, int maxAttempts) {
    return pool.preparedQuery(FINISH).execute(Tuple.of(id, utc(at), statusCode, error, durationMillis, delivered,
        utc(next), maxAttempts)).mapEmpty();
  }

  private static OffsetDateTime utc(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }
}
