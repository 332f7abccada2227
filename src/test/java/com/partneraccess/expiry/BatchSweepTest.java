package com.partneraccess.expiry;

import com.partneraccess.bus.Addresses;
import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.TestApp;
import com.partneraccess.support.TestSql;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10, goal 4: a sweep of more due connections than one batch writes, for every expired connection, exactly
 * one expiry activity row, partner banner, history row, notification (and its e-mail) and webhook outbox event, in
 * the expiry's transaction, and sends ONE NOTIFY per batch (V110), counted here on a LISTEN connection of its own;
 * the service's listeners still deliver every banner, access change and notification live.
 */
@DisplayName("The expiry sweep in batches: one of everything per connection, one NOTIFY per batch")
class BatchSweepTest {
  static final int DUE = 2_500;
  static final int BATCH = 1_000;
  static TestApp app;
  static TestSql sql;

  @BeforeAll
  static void start() {
    app = TestApp.start(new JsonObject()
        .put("expiry", new JsonObject().put("sweepSeconds", 3600).put("batchSize", BATCH).put("pauseMillis", 5))
        .put("webhooks", new JsonObject().put("enabled", false)));
    sql = new TestSql(app.databaseUrl);
  }

  @AfterAll
  static void stop() {
    sql.close();
    app.close();
  }

  @Test
  @DisplayName("R11, R17, R27, R32, R33: 2,500 due connections in batches of up to 1,000 give one of each per connection and one NOTIFY per batch")
  void oneOfEachPerConnectionAndOneNotifyPerBatch() {
    // R11 R17 R27 R32 R33
    ApiClient.PartnerUser partner = app.api().signUpPartner("Batch Partners");
    UUID partnerId = UUID.fromString(partner.partnerId());
    sql.query("""
        INSERT INTO webhook_subscriptions (id, url, secret, events, active, created_at)
        VALUES (gen_random_uuid(), 'http://127.0.0.1:9/hook', 'secret', ARRAY['access.expired'], true, $1)""",
        app.clock.nowUtc());
    seed(app, sql, partnerId, DUE, true);
    seed(app, sql, partnerId, 300, false); // not due: stay enabled

    Map<String, AtomicInteger> notifies = new ConcurrentHashMap<>();
    PgConnection listener = PgConnection.connect(app.vertx, DatabaseUrl.parse(app.databaseUrl).connectOptions()).await();
    Map<String, AtomicInteger> live = new ConcurrentHashMap<>();
    var consumer = app.vertx.eventBus().<JsonObject>consumer(Addresses.livePartner(partnerId),
        m -> live.computeIfAbsent(m.body().getString("type"), k -> new AtomicInteger()).incrementAndGet());
    try {
      listener.notificationHandler(n -> notifies.computeIfAbsent(n.getChannel(), k -> new AtomicInteger()).incrementAndGet());
      for (String channel : new String[] {"live_batches", "banners", "access_changes", "notifications"}) {
        listener.query("LISTEN " + channel).execute().await();
      }
      consumer.completion().await();

      ExpiryVerticle.Sweep sweep = new ExpiryClient(app.vertx).sweepNow().await();
      assertThat(sweep.expired()).isEqualTo(DUE);

      // what the service's own listeners deliver from the batches: every banner, access change and notification
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(count(live, "banner")).isEqualTo(DUE);
        assertThat(count(live, "access_changed")).isEqualTo(DUE);
        assertThat(count(live, "notification")).isEqualTo(DUE);
        // slow start (BatchPace): 125, 250, 500, then 1,000 and 625
        assertThat(count(notifies, "live_batches")).isEqualTo(BatchPaceTest.batchesWhenFast(DUE, BATCH)).isEqualTo(5);
      });
      // the batches' NOTIFYs arrived with every other NOTIFY of their transactions: none was sent per row
      assertThat(count(notifies, "banners")).isZero();
      assertThat(count(notifies, "access_changes")).isZero();
      assertThat(count(notifies, "notifications")).isZero();
    } finally {
      consumer.unregister().await();
      listener.close().await();
    }

    assertThat(sql.count("SELECT count(*) FROM connections WHERE partner_id = $1 AND access = 'expired'", partnerId))
        .isEqualTo(DUE);
    assertThat(sql.count("SELECT count(*) FROM connections WHERE partner_id = $1 AND access = 'enabled'", partnerId))
        .isEqualTo(300);
    // exactly one per expired connection (each account has one connection to this partner), and no more in all
    assertOneOfEach(sql, partnerId, DUE);
    assertThat(sql.count("SELECT count(*) FROM webhook_deliveries d JOIN connections c ON c.id = d.connection_id"
        + " WHERE c.partner_id = $1 AND c.access = 'expired'", partnerId)).as("one delivery per connection").isEqualTo(DUE);
    // the next sweep finds nothing due
    assertThat(new ExpiryClient(app.vertx).sweepNow().await().expired()).isZero();
  }

  /**
   * Exactly one expiry activity row, banner, history row, notification, e-mail and webhook event per expired
   * connection of the partner, and no more in all.
   */
  static void assertOneOfEach(TestSql sql, UUID partnerId, int due) {
    assertThat(sql.count("SELECT count(*) FROM connections WHERE partner_id = $1 AND access = 'expired'", partnerId))
        .isEqualTo(due);
    String perConnection = """
        SELECT count(*) FROM (SELECT c.id FROM connections c JOIN %s x ON %s
                               WHERE c.partner_id = $1 AND c.access = 'expired'
                               GROUP BY c.id HAVING count(x.*) = 1) one""";
    assertThat(sql.count(perConnection.formatted("activity",
        "x.account_id = c.account_id AND x.partner_id = c.partner_id AND x.kind = 'access.expired'"), partnerId))
        .isEqualTo(due);
    assertThat(sql.count(perConnection.formatted("banners",
        "x.account_id = c.account_id AND x.partner_id = c.partner_id AND x.kind = 'access_expired'"), partnerId))
        .isEqualTo(due);
    assertThat(sql.count(perConnection.formatted("access_history",
        "x.connection_id = c.id AND x.state = 'expired'"), partnerId)).isEqualTo(due);
    assertThat(sql.count(perConnection.formatted("notifications",
        "x.account_id = c.account_id AND x.partner_id = c.partner_id AND x.kind = 'access_expired'"), partnerId))
        .isEqualTo(due);
    assertThat(sql.count("SELECT count(*) FROM activity WHERE partner_id = $1 AND kind = 'access.expired'", partnerId))
        .isEqualTo(due);
    assertThat(sql.count("SELECT count(*) FROM banners WHERE partner_id = $1 AND kind = 'access_expired'", partnerId))
        .isEqualTo(due);
    assertThat(sql.count("SELECT count(*) FROM access_history WHERE partner_id = $1 AND state = 'expired'", partnerId))
        .isEqualTo(due);
    assertThat(sql.count("""
        SELECT count(*) FROM mail_outbox m JOIN notifications n ON n.id = m.notification_id
         WHERE n.partner_id = $1 AND n.kind = 'access_expired'""", partnerId)).isEqualTo(due);
    assertThat(sql.count(perConnection.formatted("webhook_events",
        "x.connection_id = c.id AND x.kind = 'access.expired'"), partnerId)).isEqualTo(due);
    assertThat(sql.count("SELECT count(*) FROM webhook_events WHERE partner_id = $1", partnerId)).isEqualTo(due);
  }

  static int count(Map<String, AtomicInteger> counts, String key) {
    AtomicInteger n = counts.get(key);
    return n == null ? 0 : n.get();
  }

  /** {@code n} accounts (100 jobs each), each with one enabled connection to the partner, due or not. */
  static void seed(TestApp app, TestSql sql, UUID partnerId, int n, boolean due) {
    var now = app.clock.nowUtc();
    var start = due ? now.minusDays(61) : now.minusDays(1);
    sql.query("""
        WITH acc AS (
          INSERT INTO accounts (id, business_name, plan, job_count, hundredth_job_at, created_at)
          SELECT gen_random_uuid(), 'Batch ' || g, 'standard', 100, $2, $2 FROM generate_series(1, $3::int) g
          RETURNING id
        )
        INSERT INTO connections (id, partner_id, account_id, origin, access, connected_at, enabled_at, access_changed_at)
        SELECT gen_random_uuid(), $1, acc.id, 'invite', 'enabled', $2, $2, $2 FROM acc""", partnerId, start, n);
  }
}
