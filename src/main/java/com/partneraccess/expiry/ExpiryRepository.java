package com.partneraccess.expiry;

import com.partneraccess.banner.BannerStore;
import com.partneraccess.connections.AccessChanges;
import com.partneraccess.webhooks.WebhookOutbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The SQL of the expiry sweep (R11-R14, R23, R17). Each batch is one statement in one transaction: it
 * locks up to {@code batch} due rows with {@code FOR UPDATE SKIP LOCKED} (so instances sweeping at once take
 * disjoint rows and never wait on each other), changes them with a conditional update, writes their
 * activity rows and banners and queues the NOTIFYs (delivered only on commit).
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
   * rows and banners, queue the NOTIFYs and write the webhook outbox (R33). {@code now}, {@code nowIso} and {@code days} are SQL expressions.
   * Shared by the sweep and {@link AccountExpiry}, so both expire a connection in exactly the same way.
   */
  static String expireDue(String now, String nowIso, String days) {
    return """
      expired AS (
        UPDATE connections c SET access = 'expired', access_changed_at = %1$s::timestamptz
         WHERE c.id = ANY (ARRAY(SELECT id FROM due))
        RETURNING c.id, c.account_id, c.partner_id
      ), named AS (
        SELECT e.id, e.account_id, e.partner_id, a.business_name, p.name AS partner_name,
               gen_random_uuid() AS banner_id
          FROM expired e JOIN accounts a ON a.id = e.account_id JOIN partners p ON p.id = e.partner_id
      ), history AS (
        INSERT INTO activity (account_id, at, kind, actor_user_id, partner_id, summary)
        SELECT account_id, %1$s::timestamptz, 'access.expired', NULL, partner_id,
               'Access of partner ' || partner_name || ' expired (' || %3$s || ' days without access)'
          FROM named
      ), stored AS (
        INSERT INTO banners (id, audience, account_id, partner_id, kind, message, request_id, created_at)
        SELECT banner_id, 'partner', account_id, partner_id, 'access_expired',
               'Your access to ' || business_name || ' expired', NULL, %1$s::timestamptz
          FROM named
      ), %6$s
      SELECT n.id,
             pg_notify('%4$s', json_build_object('id', n.banner_id, 'audience', 'partner'::text,
                 'accountId', n.account_id, 'partnerId', n.partner_id, 'kind', 'access_expired'::text,
                 'message', 'Your access to ' || n.business_name || ' expired', 'requestId', NULL::text,
                 'createdAt', %2$s::text)::text) AS banner_sent,
             pg_notify('%5$s', json_build_object('connectionId', n.id, 'accountId', n.account_id,
                 'partnerId', n.partner_id, 'access', 'expired'::text, 'disconnected', false,
                 'at', %2$s::text)::text) AS change_sent
        FROM named n""".formatted(now, nowIso, days, BannerStore.CHANNEL, AccessChanges.CHANNEL,
        WebhookOutbox.expiredCtes("named", now));
  }

  /**
   * Warnings before expiry: $1 now, $2 now + the largest warning, $3 warning days (int[]), $4 batch size,
   * $5 now as ISO text. A connection is due a warning for the smallest threshold its remaining time is within;
   * the upsert on (connection_id, days) sends it once per expiry period, even with several instances.
   */
  static final String WARN_BATCH = """
      WITH due AS (
        SELECT c.id, c.account_id, c.partner_id, c.expires_at, w.days
          FROM connections c
          CROSS JOIN LATERAL (SELECT min(d) AS days FROM unnest($3::int[]) AS d
                               WHERE c.expires_at <= $1::timestamptz + make_interval(days => d)) w
         WHERE c.access = 'enabled' AND c.disconnected_at IS NULL
           AND c.expires_at > $1::timestamptz AND c.expires_at <= $2::timestamptz
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
               'Your access to ' || a.business_name || ' expires in '
                 || ceil(extract(epoch FROM d.expires_at - $1::timestamptz) / 86400)::int
                 || CASE WHEN ceil(extract(epoch FROM d.expires_at - $1::timestamptz) / 86400)::int = 1 THEN ' day' ELSE ' days' END
                 || ': log in to keep it' AS message
          FROM due d JOIN sent s ON s.connection_id = d.id JOIN accounts a ON a.id = d.account_id
      ), stored AS (
        INSERT INTO banners (id, audience, account_id, partner_id, kind, message, request_id, created_at)
        SELECT banner_id, 'partner', account_id, partner_id, 'expiry_warning', message, NULL, $1
          FROM named
      )
      SELECT n.id, pg_notify('%s', json_build_object('id', n.banner_id, 'audience', 'partner'::text,
                 'accountId', n.account_id, 'partnerId', n.partner_id, 'kind', 'expiry_warning'::text,
                 'message', n.message, 'requestId', NULL::text, 'createdAt', $5::text)::text) AS banner_sent
        FROM named n""".formatted(BannerStore.CHANNEL);

  private final Pool pool;

  ExpiryRepository(Pool pool) {
    this.pool = pool;
  }

  /** Expires one batch; returns how many rows it expired (fewer than {@code batch}: nothing more is due now). */
  Future<Integer> expireBatch(OffsetDateTime cutoff, int batch, OffsetDateTime now, int policyDays) {
    return pool.withTransaction(tx -> tx.preparedQuery(EXPIRE_BATCH)
        .execute(Tuple.of(cutoff, batch, now, now.toInstant().toString(), String.valueOf(policyDays)))
        .map(rows -> rows.size()));
  }

  /** Sends one batch of warnings; returns how many it sent (fewer than {@code batch}: nothing more is due now). */
  Future<Integer> warnBatch(OffsetDateTime now, List<Integer> warningDays, int batch) {
    int max = warningDays.stream().mapToInt(Integer::intValue).max().orElse(0);
    Integer[] days = warningDays.toArray(Integer[]::new);
    return pool.withTransaction(tx -> tx.preparedQuery(WARN_BATCH)
        .execute(Tuple.of(now, now.plusDays(max), days, batch, now.toInstant().toString()))
        .map(rows -> rows.size()));
  }
}
