package com.partneraccess.expiry;

import com.partneraccess.banner.BannerStore;
import com.partneraccess.connections.AccessChanges;
import com.partneraccess.db.LiveBatches;
import com.partneraccess.webhooks.WebhookOutbox;
import io.vertx.core.Future;
import com.partneraccess.notifications.NotificationKind;
import com.partneraccess.notifications.NotificationStore;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of the expiry sweep (R11-R14, R23, R17). Each batch is one transaction: its first statement
 * locks up to {@code batch} due rows with {@code FOR UPDATE SKIP LOCKED} (so instances sweeping at once take
 * disjoint rows and never wait on each other), changes them with a conditional update, writes their
 * activity rows, banners and webhook outbox rows set-based (their history: the statement trigger of V111), then in a second
 * statement their notifications and e-mails (R27), and queues ONE NOTIFY for the batch (V110, db/LiveBatches:
 * the banners, access changes and notifications are stored in {@code live_batches}; delivered only on commit).
 */
final class ExpiryRepository {
  /**
   * $1 cutoff (expires_at at or before it is due), $2 batch size, $3 now, $4 now as ISO text, $5 policy days.
   * Exactly once: {@code FOR UPDATE} re-evaluates the WHERE clause on the newest version of a row it locks, so a
   * row another instance expired (and committed) after this statement's snapshot drops out, and a row another
   * instance holds is skipped. Once locked, no one else can change the row before this transaction ends, so
   * the UPDATE needs no second condition; it gets the locked ids as an array and finds them through the
   * primary key (a join on the CTE can be planned as a loop over every due row when statistics are stale).
   */
  static final String EXPIRE_BATCH = """
      WITH due AS (
        SELECT c.id FROM connections c
         WHERE c.access = 'enabled' AND c.disconnected_at IS NULL AND c.expires_at <= $1::timestamptz
         ORDER BY c.expires_at
         LIMIT $2::int
         FOR UPDATE SKIP LOCKED
      ), """ + expireDue("$3", "$4", "$5::text");

  /**
   * The rest of an expiry after the {@code due} CTE (ids of locked rows): mark them expired, write their activity
   * rows and banners, store their live events in one live batch (V110; {@link #notifyExpired} adds the
   * notifications and sends the batch's one NOTIFY) and write the webhook outbox (R33). Returns the expired rows
   * with {@code live_batch}. {@code now}, {@code nowIso} and {@code days} are SQL expressions.
   * Shared by the sweep and {@link AccountExpiry}, so both expire a connection in exactly the same way.
   * R29: a connection whose end was set by a time-boxed grant (its expiry is the grant's end) expires the same
   * way, but the history ({@code access.grant_ended}) and the partner's banner say the grant ended, and who
   * approved it, instead of the 60-day rule.
   */
  static String expireDue(String now, String nowIso, String days) {
    return """
      expired AS (
        UPDATE connections c SET access = 'expired', access_changed_at = %1$s::timestamptz
         WHERE c.id = ANY (ARRAY(SELECT id FROM due))
        RETURNING c.id, c.account_id, c.partner_id, c.grant_ends_at IS NOT NULL AND c.expires_at = c.grant_ends_at
                  AS by_grant, c.grant_days, c.grant_approved_by
      ), named AS (
        SELECT e.id, e.account_id, e.partner_id, a.business_name, p.name AS partner_name,
               gen_random_uuid() AS banner_id, e.by_grant,
               CASE WHEN e.by_grant THEN 'Your access to ' || a.business_name || ' ended: the ' || e.grant_days
                         || '-day grant approved by ' || COALESCE(u.name, 'the customer') || ' ended'
                    ELSE 'Your access to ' || a.business_name || ' expired' END AS message,
               CASE WHEN e.by_grant THEN 'Access of partner ' || p.name || ' ended: the ' || e.grant_days
                         || '-day grant approved by ' || COALESCE(u.name, 'the customer') || ' ended'
                    ELSE 'Access of partner ' || p.name || ' expired (' || %3$s || ' days without access)' END AS summary
          FROM expired e JOIN accounts a ON a.id = e.account_id JOIN partners p ON p.id = e.partner_id
          LEFT JOIN users u ON u.id = e.grant_approved_by
      ), history AS (
        INSERT INTO activity (account_id, at, kind, actor_user_id, partner_id, summary)
        SELECT account_id, %1$s::timestamptz, CASE WHEN by_grant THEN 'access.grant_ended' ELSE 'access.expired' END,
               NULL, partner_id, summary
          FROM named
      ), stored AS (
        INSERT INTO banners (id, audience, account_id, partner_id, kind, message, request_id, created_at)
        SELECT banner_id, 'partner', account_id, partner_id, 'access_expired', message, NULL, %1$s::timestamptz
          FROM named
      ), %6$s, batch AS (
        SELECT nextval('live_batch_ids') AS id
      ), live AS (
        INSERT INTO live_batches (id, channel, payloads)
        SELECT b.id, e.channel, e.payloads
          FROM batch b CROSS JOIN (
                 SELECT '%4$s' AS channel, array_agg(json_build_object('id', n.banner_id, 'audience', 'partner'::text,
                     'accountId', n.account_id, 'partnerId', n.partner_id, 'kind', 'access_expired'::text,
                     'message', n.message, 'requestId', NULL::text, 'createdAt', %2$s::text)::text) AS payloads
                   FROM named n
                 UNION ALL
                 SELECT '%5$s', array_agg(json_build_object('connectionId', n.id, 'accountId', n.account_id,
                     'partnerId', n.partner_id, 'access', 'expired'::text, 'disconnected', false,
                     'at', %2$s::text)::text)
                   FROM named n) e
         WHERE e.payloads IS NOT NULL
      )
      SELECT n.id, n.account_id, n.partner_id, (SELECT id FROM batch) AS live_batch
        FROM named n""".formatted(now, nowIso, days, BannerStore.CHANNEL, AccessChanges.CHANNEL,
        WebhookOutbox.expiredCtes("named", now));
  }

  /**
   * Warnings before expiry: $1 now, $2 now + the largest warning, $3 warning days (int[]), $4 batch size,
   * $5 now as ISO text. A connection is due a warning for the smallest threshold its remaining time is within;
   * the upsert on (connection_id, days) sends it once per expiry period, even with several instances.
   * R29: before the end of a time-boxed grant only the warnings that fit inside the grant are sent (a 7-day grant
   * gets the 1-day warning, not the 7- or 14-day ones, which would fall at or before its approval), and they say
   * the grant ends (logging in does not keep it). Like an expiry batch, a warning batch stores its banners (and
   * {@link #warnBatch} its notifications) in one live batch with one NOTIFY (V110).
   */
  static final String WARN_BATCH = """
      WITH due AS (
        SELECT c.id, c.account_id, c.partner_id, c.expires_at, w.days, c.grant_days,
               c.grant_ends_at IS NOT DISTINCT FROM c.expires_at AS by_grant
          FROM connections c
          CROSS JOIN LATERAL (SELECT min(d) AS days FROM unnest($3::int[]) AS d
                               WHERE c.expires_at <= $1::timestamptz + make_interval(days => d)
                                 AND (c.grant_ends_at IS DISTINCT FROM c.expires_at
                                      OR c.expires_at - make_interval(days => d) > c.enabled_at)) w
         WHERE c.access = 'enabled' AND c.disconnected_at IS NULL
           AND c.expires_at > $1::timestamptz AND c.expires_at <= $2::timestamptz AND w.days IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM expiry_warnings x
                            WHERE x.connection_id = c.id AND x.days = w.days AND x.expires_at = c.expires_at)
         ORDER BY c.expires_at
         LIMIT $4::int
         FOR UPDATE OF c SKIP LOCKED
      ), sent AS (
        INSERT INTO expiry_warnings (connection_id, days, expires_at, sent_at)
        SELECT id, days, expires_at, $1::timestamptz FROM due
        ON CONFLICT (connection_id, days) DO UPDATE SET expires_at = EXCLUDED.expires_at, sent_at = EXCLUDED.sent_at
         WHERE expiry_warnings.expires_at <> EXCLUDED.expires_at
        RETURNING connection_id
      ), named AS (
        SELECT d.id, d.account_id, d.partner_id, gen_random_uuid() AS banner_id,
               ceil(extract(epoch FROM d.expires_at - $1::timestamptz) / 86400)::int AS days_left,
               CASE WHEN d.by_grant THEN 'Your ' || d.grant_days || '-day grant to ' || a.business_name || ' ends in '
                    ELSE 'Your access to ' || a.business_name || ' expires in ' END
                 || ceil(extract(epoch FROM d.expires_at - $1::timestamptz) / 86400)::int
                 || CASE WHEN ceil(extract(epoch FROM d.expires_at - $1::timestamptz) / 86400)::int = 1 THEN ' day' ELSE ' days' END
                 || CASE WHEN d.by_grant THEN ': ask again if you need longer' ELSE ': log in to keep it' END AS message
          FROM due d JOIN sent s ON s.connection_id = d.id JOIN accounts a ON a.id = d.account_id
      ), stored AS (
        INSERT INTO banners (id, audience, account_id, partner_id, kind, message, request_id, created_at)
        SELECT banner_id, 'partner', account_id, partner_id, 'expiry_warning', message, NULL, $1
          FROM named
      ), batch AS (
        SELECT nextval('live_batch_ids') AS id
      ), live AS (
        INSERT INTO live_batches (id, channel, payloads)
        SELECT b.id, '%s', array_agg(json_build_object('id', n.banner_id, 'audience', 'partner'::text,
                 'accountId', n.account_id, 'partnerId', n.partner_id, 'kind', 'expiry_warning'::text,
                 'message', n.message, 'requestId', NULL::text, 'createdAt', $5::text)::text)
          FROM batch b CROSS JOIN named n
         GROUP BY b.id
      )
      SELECT n.id, n.account_id, n.partner_id, n.days_left, (SELECT id FROM batch) AS live_batch
        FROM named n""".formatted(BannerStore.CHANNEL);

  static final String PRUNE_LIVE_BATCHES = "DELETE FROM live_batches WHERE created_at < now() - interval '1 hour'";

  private final Pool pool;

  ExpiryRepository(Pool pool) {
    this.pool = pool;
  }

  /** Expires one batch; returns how many rows it expired (fewer than {@code batch}: nothing more is due now). */
  Future<Integer> expireBatch(OffsetDateTime cutoff, int batch, OffsetDateTime now, int policyDays) {
    return pool.withTransaction(tx -> tx.preparedQuery(EXPIRE_BATCH)
        .execute(Tuple.of(cutoff, batch, now, now.toInstant().toString(), String.valueOf(policyDays)))
        .compose(rows -> notifyExpired(tx, rows, now).map(n -> rows.size())));
  }

  /** Sends one batch of warnings; returns how many it sent (fewer than {@code batch}: nothing more is due now). */
  Future<Integer> warnBatch(OffsetDateTime now, List<Integer> warningDays, int batch) {
    int max = warningDays.stream().mapToInt(Integer::intValue).max().orElse(0);
    Integer[] days = warningDays.toArray(Integer[]::new);
    return pool.withTransaction(tx -> tx.preparedQuery(WARN_BATCH)
        .execute(Tuple.of(now, now.plusDays(max), days, batch, now.toInstant().toString()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(0);
          }
          List<NotificationStore.Event> events = new ArrayList<>(rows.size());
          long liveBatch = 0;
          for (Row r : rows) {
            int left = r.getInteger("days_left");
            events.add(new NotificationStore.Event(r.getUUID("account_id"), r.getUUID("partner_id"),
                left + (left == 1 ? " day" : " days"), null, null));
            liveBatch = r.getLong("live_batch");
          }
          long batchId = liveBatch;
          return NotificationStore.record(tx, NotificationKind.EXPIRY_WARNING, events, now, batchId)
              .compose(n -> LiveBatches.notify(tx, batchId)).map(v -> rows.size());
        }));
  }

  /**
   * R27: the partner's users are told of each expiry, in the expiry's transaction (rows of {@link #expireDue}); then
   * the batch's one NOTIFY (V110): its banners, access changes and notifications are in {@code live_batches}.
   */
  static Future<Integer> notifyExpired(SqlClient tx, RowSet<Row> rows, OffsetDateTime now) {
    if (rows.size() == 0) {
      return Future.succeededFuture(0);
    }
    List<NotificationStore.Event> events = new ArrayList<>(rows.size());
    Long liveBatch = null;
    for (Row r : rows) {
      events.add(new NotificationStore.Event(r.getUUID("account_id"), r.getUUID("partner_id")));
      liveBatch = r.getLong("live_batch");
    }
    long batchId = liveBatch;
    return NotificationStore.record(tx, NotificationKind.ACCESS_EXPIRED, events, now, batchId)
        .compose(n -> LiveBatches.notify(tx, batchId).map(n));
  }

  /** Deletes live batches older than an hour: every instance fetched them long ago (V110). */
  Future<Integer> pruneLiveBatches() {
    return pool.query(PRUNE_LIVE_BATCHES).execute().map(r -> r.rowCount());
  }
}
