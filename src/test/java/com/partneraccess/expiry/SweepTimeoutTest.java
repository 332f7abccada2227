package com.partneraccess.expiry;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.TestApp;
import com.partneraccess.support.TestSql;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, goal 4: a sweep batch that PostgreSQL cancels on the statement timeout (SQLSTATE 57014) is retried with
 * half the rows instead of failing the round, down to {@link ExpiryVerticle#MIN_BATCH}; below that the round gives
 * up and the next one retries. The timeout is real: a statement trigger installed by the test on {@code activity}
 * sleeps past the 2 s statement timeout whenever one statement inserts more than {@value #LARGE} expiry rows, so
 * batches of 100 are cancelled and batches of 50 run (the round starts at 25 and doubles while fast; after a timeout
 * the ceiling is probed again after 2, then 4 fast batches: BatchPace).
 */
@DisplayName("The expiry sweep halves a batch cancelled by the statement timeout")
class SweepTimeoutTest {
  static final int BATCH = 200;
  static final int LARGE = 60;
  static TestApp app;
  static TestSql sql;

  @BeforeAll
  static void start() {
    app = TestApp.start(new JsonObject()
        .put("db", new JsonObject().put("statementTimeoutMillis", 2_000))
        .put("expiry", new JsonObject().put("sweepSeconds", 3600).put("batchSize", BATCH).put("pauseMillis", 0))
        .put("webhooks", new JsonObject().put("enabled", false)));
    sql = new TestSql(app.databaseUrl);
  }

  @AfterAll
  static void stop() {
    sql.close();
    app.close();
  }

  @AfterEach
  void dropSlowTrigger() {
    sql.query("DROP TRIGGER IF EXISTS slow_large_expiry ON activity");
  }

  /** Every statement that inserts more than {@code over} expiry activity rows sleeps until the statement timeout. */
  static void slowAbove(int over) {
    sql.query("""
        CREATE OR REPLACE FUNCTION slow_large_expiry() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF (SELECT count(*) FROM added WHERE kind = 'access.expired') > %d THEN
            PERFORM pg_sleep(60);
          END IF;
          RETURN NULL;
        END $$""".formatted(over));
    sql.query("""
        CREATE TRIGGER slow_large_expiry AFTER INSERT ON activity REFERENCING NEW TABLE AS added
          FOR EACH STATEMENT EXECUTE FUNCTION slow_large_expiry()""");
  }

  @Test
  @DisplayName("R11, R17, R27, R32, R33: batches cancelled by the statement timeout are retried halved; each connection expires once with one of each record")
  void timedOutBatchesAreHalvedAndTheSweepCompletes() {
    // R11 R17 R27 R32 R33
    ApiClient.PartnerUser partner = app.api().signUpPartner("Timeout Partners");
    UUID partnerId = UUID.fromString(partner.partnerId());
    sql.query("""
        INSERT INTO webhook_subscriptions (id, url, secret, events, active, created_at)
        VALUES (gen_random_uuid(), 'http://127.0.0.1:9/hook', 'secret', ARRAY['access.expired'], true, $1)""",
        app.clock.nowUtc());
    int due = 260;
    BatchSweepTest.seed(app, sql, partnerId, due, true);
    BatchSweepTest.seed(app, sql, partnerId, 40, false);
    slowAbove(LARGE);

    ExpiryVerticle.Sweep sweep = new ExpiryClient(app.vertx).sweepNow().await();

    assertThat(sweep.expired()).isEqualTo(due);
    BatchSweepTest.assertOneOfEach(sql, partnerId, due);
    assertThat(sql.count("SELECT count(*) FROM connections WHERE partner_id = $1 AND access = 'enabled'", partnerId))
        .isEqualTo(40);
    // the batches that ran: 25 (slow start), 50, 50 (100 was cancelled and rolled back whole; 50 is then the
    // ceiling), 50, 50 (two fast batches lift the ceiling: 100 is cancelled again) and the last 35
    assertThat(sql.count("SELECT count(DISTINCT id) FROM live_batches WHERE channel = 'banners' AND payloads[1] LIKE $1",
        "%" + partnerId + "%")).isEqualTo(6);
    assertThat(sql.count("""
        SELECT count(*) FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
         WHERE e.partner_id = $1""", partnerId)).isEqualTo(due);
    assertThat(new ExpiryClient(app.vertx).sweepNow().await().expired()).isZero();
  }

  @Test
  @DisplayName("R11: when even the smallest batch is cancelled the round gives up, writes nothing, and the next round expires everything once")
  void theRoundGivesUpBelowTheSmallestBatchAndTheNextOneCompletes() {
    // R11
    ApiClient.PartnerUser partner = app.api().signUpPartner("Give Up Partners");
    UUID partnerId = UUID.fromString(partner.partnerId());
    int due = 30;
    BatchSweepTest.seed(app, sql, partnerId, due, true);
    slowAbove(0);

    assertThatThrownBy(() -> new ExpiryClient(app.vertx).sweepNow().await())
        .hasMessageContaining("could not complete");
    assertThat(sql.count("SELECT count(*) FROM connections WHERE partner_id = $1 AND access = 'expired'", partnerId))
        .isZero();
    assertThat(sql.count("SELECT count(*) FROM activity WHERE partner_id = $1", partnerId)).isZero();

    dropSlowTrigger();
    assertThat(new ExpiryClient(app.vertx).sweepNow().await().expired()).isEqualTo(due);
    BatchSweepTest.assertOneOfEach(sql, partnerId, due);
  }

}
