package com.partneraccess.db;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayName("Outage log")
class OutageLogTest {

  @Test
  @DisplayName("One line per kind of failure per interval, without a stack trace, then the count of the ones left out")
  void onePerKindPerInterval() {
    Logger logger = (Logger) LoggerFactory.getLogger("outage-log-test");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    OutageLog log = new OutageLog(logger, 300);

    for (int i = 0; i < 100; i++) {
      log.warn("database connection refused", "GET /api/v1/account/jobs");
      log.warn("no database connection in time", "GET /health");
    }
    assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "database connection refused: GET /api/v1/account/jobs", "no database connection in time: GET /health");
    assertThat(lines.list).allMatch(e -> e.getThrowableProxy() == null);

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      log.warn("database connection refused", "GET /app");
      assertThat(lines.list).hasSizeGreaterThan(2);
    });
    assertThat(lines.list.get(2).getFormattedMessage()).startsWith("database connection refused: GET /app (and ")
        .contains("more since the previous line");
  }
}
