package com.partneraccess.expiry;

import com.partneraccess.support.TestApp;
import com.partneraccess.support.TestSql;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code expiry.workers}: several batch loops of one process at once take disjoint rows ({@code SKIP LOCKED}); every
 * due connection is still expired exactly once, with one of each row; a batch that waits does not hold up the others.
 */
@DisplayName("The expiry sweep with 3 workers: the workers take disjoint rows and go on while one waits")
class ParallelSweepTest {
  static final int DUE = 2_000;
  static final int BATCH = 300;
  static final int WORKERS = 3;
  static TestApp app;
  static TestSql sql;

  @BeforeAll
  static void start() {
    app = TestApp.start(new JsonObject()
        .put("expiry", new JsonObject().put("sweepSeconds", 3600).put("batchSize", BATCH).put("pauseMillis", 0)
            .put("workers", WORKERS))
        .put("webhooks", new JsonObject().put("enabled", false)));
    sql = new TestSql(app.databaseUrl);
  }

  @AfterAll
  static void stop() {
    sql.close();
    app.close();
  }

  @Test
  @DisplayName("R11, R32: while one worker waits on a locked partner row, the other workers expire the other connections")
  void workersTakeDisjointRows() throws Exception {
    // R11 R32
    UUID blocked = UUID.fromString(app.api().signUpPartner("Blocked Partners").partnerId());
    UUID partnerId = UUID.fromString(app.api().signUpPartner("Parallel Partners").partnerId());
    // the blocked partner's one connection expired first, so it is in the first batch a worker takes
    sql.query("""
        WITH acc AS (
          INSERT INTO accounts (id, business_name, plan, job_count, hundredth_job_at, created_at)
          VALUES (gen_random_uuid(), 'Blocked customer', 'standard', 100, $2, $2) RETURNING id
        )
        INSERT INTO connections (id, partner_id, account_id, origin, access, connected_at, enabled_at, access_changed_at)
        SELECT gen_random_uuid(), $1, acc.id, 'invite', 'enabled', $2, $2, $2 FROM acc""",
        blocked, app.clock.nowUtc().minusDays(62));
    BatchSweepTest.seed(app, sql, partnerId, DUE, true);

    // hold the blocked partner's row: the batch holding its connection waits on the foreign-key check of its
    // activity row (FOR KEY SHARE against FOR UPDATE); with one worker the whole sweep would wait behind it
    var lock = io.vertx.pgclient.PgConnection.connect(app.vertx,
        com.partneraccess.db.DatabaseUrl.parse(app.databaseUrl).connectOptions()).await();
    var tx = lock.begin().await();
    lock.preparedQuery("SELECT id FROM partners WHERE id = $1 FOR UPDATE").execute(io.vertx.sqlclient.Tuple.of(blocked))
        .await();
    var sweep = new ExpiryClient(app.vertx).sweepNow();
    try {
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(sql.count(
          "SELECT count(*) FROM connections WHERE partner_id = $1 AND access = 'expired'", partnerId))
          .isGreaterThanOrEqualTo(DUE - BATCH + 1));
      assertThat(sweep.isComplete()).isFalse();
    } finally {
      tx.rollback().await();
      lock.close().await();
    }
    assertThat(sweep.await().expired()).isEqualTo(DUE + 1);
    assertThat(sql.count("SELECT count(*) FROM connections WHERE partner_id = $1 AND access = 'expired'", partnerId))
        .isEqualTo(DUE);
    assertThat(sql.count("SELECT count(*) FROM connections WHERE partner_id = $1 AND access = 'expired'", blocked))
        .isEqualTo(1);
    assertThat(sql.count("SELECT count(*) FROM activity WHERE partner_id = $1 AND kind = 'access.expired'", partnerId))
        .isEqualTo(DUE);
    assertThat(sql.count("SELECT count(DISTINCT connection_id) FROM access_history WHERE partner_id = $1 AND state = 'expired'",
        partnerId)).isEqualTo(DUE);
    assertThat(sql.count("SELECT count(*) FROM access_history WHERE partner_id = $1 AND state = 'expired'", partnerId))
        .isEqualTo(DUE);
    assertThat(sql.count("SELECT count(*) FROM banners WHERE partner_id = $1 AND kind = 'access_expired'", partnerId))
        .isEqualTo(DUE);
    // one NOTIFY per batch: as many batches stored as there were transactions, none per row; each worker's slow
    // start (BatchPace: an eighth, a quarter, a half of the size) and its last, short batch add up to 4 per worker
    long full = (long) Math.ceil((DUE + 1) / (double) BATCH);
    assertThat(sql.count("SELECT count(*) FROM live_batches WHERE channel = 'banners'"))
        .isBetween(full, full + 4L * WORKERS);
    assertThat(new ExpiryClient(app.vertx).sweepNow().await().expired()).isZero();
  }
}
