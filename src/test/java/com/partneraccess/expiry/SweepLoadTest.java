package com.partneraccess.expiry;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.partneraccess.support.TestApp;
import com.partneraccess.support.TestSql;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("A sweep of 100,000 due connections never blocks an event loop")
class SweepLoadTest {
  static final int DUE = 100_000;
  static final String CHECKER = "io.vertx.core.impl.BlockedThreadChecker";
  static TestApp app;
  static TestSql sql;
  static ListAppender<ILoggingEvent> appender;

  @BeforeAll
  static void start() {
    appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(CHECKER)).addAppender(appender);
    app = TestApp.start(new io.vertx.core.json.JsonObject()
        .put("expiry", new io.vertx.core.json.JsonObject().put("sweepSeconds", 3600)));
    sql = new TestSql(app.databaseUrl);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(CHECKER)).detachAppender(appender);
    sql.close();
    app.close();
  }

  @Test
  @DisplayName("The appender does capture the blocked-thread checker (a deliberately blocked event loop is reported)")
  void appenderSeesBlockedThreads() throws Exception {
    Vertx strict = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(50).setMaxEventLoopExecuteTimeUnit(
        TimeUnit.MILLISECONDS).setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    try {
      strict.runOnContext(v -> {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < end) {
          Thread.onSpinWait();
        }
      });
      Thread.sleep(600);
      assertThat(appender.list).isNotEmpty();
    } finally {
      strict.close().await();
      appender.list.clear();
    }
  }

  @Test
  @DisplayName("R11, R14: 100,000 due connections are each expired exactly once, with the blocked-thread checker silent")
  void hundredThousand() {
    // R11 R14
    UUID partnerId = sql.seedDueConnections(DUE, app.clock.now());
    appender.list.clear();
    long started = System.nanoTime();
    ExpiryVerticle.Sweep sweep = new ExpiryClient(app.vertx).sweepNow().await();
    LoggerFactory.getLogger(SweepLoadTest.class).info("swept {} connections in {} ms", sweep.expired(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    assertThat(sweep.expired()).isEqualTo(DUE);
    assertThat(sql.count("SELECT count(*) FROM connections WHERE partner_id = $1 AND access = 'expired'", partnerId))
        .isEqualTo(DUE);
    assertThat(sql.count("SELECT count(*) FROM activity WHERE partner_id = $1 AND kind = 'access.expired'", partnerId))
        .isEqualTo(DUE);
    assertThat(sql.count("SELECT count(*) FROM banners WHERE partner_id = $1 AND kind = 'access_expired'", partnerId))
        .isEqualTo(DUE);
    assertThat(new ExpiryClient(app.vertx).sweepNow().await().expired()).isZero();
    assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
  }
}
