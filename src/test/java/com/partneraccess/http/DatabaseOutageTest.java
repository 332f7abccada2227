package com.partneraccess.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.partneraccess.config.AppConfig;
import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.db.EmbeddedDatabase;
import com.partneraccess.db.Migrations;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault tests of item 4 of issue 8 against the service's default bounds: the test runs its own PostgreSQL,
 * freezes it (SIGSTOP on the postmaster and every backend, as in a network partition) and stops it; every
 * route that needs the database answers 503 with Retry-After within 2 s, /health says DOWN, nothing hangs,
 * failures are logged once per kind without stack traces, and the service recovers once the database is back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("A frozen or stopped database")
class DatabaseOutageTest {
  private static final Duration LIMIT = Duration.ofSeconds(2);
  private static final String DB = "outage";

  private static Path dir;
  private static EmbeddedDatabase pg;
  private static int pgPort;
  private static TestApp app;
  private static ApiClient api;
  private static Customer owner;
  private static String partnerSession;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("pa-outage-pg");
    pg = EmbeddedDatabase.start(dir, 0, true); // keep the data: the second test stops and restarts it
    pgPort = pg.port();
    pg.createDatabase(DB);
    Migrations.migrate(DatabaseUrl.parse(pg.url(DB)),
        new AppConfig.Policy(60, 100, Instant.parse("2020-07-01T00:00:00Z"), 14));
    // the production bounds, but a small wait queue, so some waiters are refused at once
    AppConfig defaults = AppConfig.from(new JsonObject());
    app = TestApp.start(new JsonObject()
        .put("http", new JsonObject().put("databaseWaitMillis", defaults.http().databaseWaitMillis()))
        .put("db", new JsonObject().put("maxWaitQueue", 4).put("acquireTimeoutMillis", defaults.db().acquireTimeoutMillis())),
        pg.url(DB));
    api = app.api();
    // a cold JVM on a busy machine may take longer than the request timeout for its first answers: retry
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      PartnerUser partner = api.signUpPartner("Outage Partners");
      owner = api.signUpCustomer("Outage Plumbing", null);
      api.connectByInvite(partner, owner);
      ApiClient.expect(api.setAccess(owner, partner.partnerId(), true), 200);
      partnerSession = api.session(partner, owner.accountId());
      // compile the page and error templates now, as a running service has (a first compile is slow)
      assertThat(call("GET", "/app", owner.token(), null, true).get().status).isEqualTo(200);
      assertThat(call("GET", "/app/no-such-page", owner.token(), null, true).get().status).isEqualTo(404);
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  @Order(1)
  @DisplayName("Frozen (SIGSTOP): owner, partner, page, write and /health routes answer 503 with Retry-After within 2 s; CONT recovers")
  void frozen() throws Exception {
    List<Long> pids = postgresPids();
    ListAppender<ILoggingEvent> logs = captureLogs();
    try {
      signal("-STOP", pids);
      List<CompletableFuture<Timed>> calls = new ArrayList<>();
      // more than the pool's 8 connections plus its 4 waiters: hung queries, acquire timeouts and a full queue
      for (int i = 0; i < 8; i++) {
        calls.add(call("GET", "/api/v1/account/jobs?limit=1", owner.token(), null, false));
        calls.add(call("GET", "/api/v1/account/jobs?limit=1", partnerSession, null, false));
      }
      calls.add(call("POST", "/api/v1/account/jobs", owner.token(),
          new JsonObject().put("title", "Job").put("quantity", 1).encode(), false));
      calls.add(call("GET", "/app", owner.token(), null, true));
      calls.add(call("GET", "/health", null, null, false));
      for (CompletableFuture<Timed> c : calls) {
        assertUnavailable(c.get());
      }
      // and the same again once everything that was in flight has given up
      assertUnavailable(call("GET", "/api/v1/account/jobs?limit=1", owner.token(), null, false).get());
      assertUnavailable(call("GET", "/api/v1/account/jobs?limit=1", partnerSession, null, false).get());
      assertUnavailable(call("GET", "/health", null, null, false).get());
    } finally {
      signal("-CONT", pids);
    }
    awaitRecovery();
    assertOutageLoggedBriefly(logs);
  }

  @Test
  @Order(2)
  @DisplayName("Stopped: owner, partner, page, write and /health routes answer 503 with Retry-After within 2 s; a restart recovers")
  void stopped() throws Exception {
    ListAppender<ILoggingEvent> logs = captureLogs();
    pg.close();
    try {
      List<CompletableFuture<Timed>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        calls.add(call("GET", "/api/v1/account/jobs?limit=1", owner.token(), null, false));
        calls.add(call("GET", "/api/v1/account/jobs?limit=1", partnerSession, null, false));
      }
      calls.add(call("POST", "/api/v1/account/jobs", owner.token(),
          new JsonObject().put("title", "Job").put("quantity", 1).encode(), false));
      calls.add(call("GET", "/app", owner.token(), null, true));
      calls.add(call("GET", "/health", null, null, false));
      for (CompletableFuture<Timed> c : calls) {
        assertUnavailable(c.get());
      }
    } finally {
      pg = EmbeddedDatabase.start(dir, pgPort, true);
    }
    awaitRecovery();
    assertOutageLoggedBriefly(logs);
  }

  private static void awaitRecovery() {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      assertThat(call("GET", "/health", null, null, false).get().status).isEqualTo(200);
      assertThat(call("GET", "/api/v1/account/jobs?limit=1", owner.token(), null, false).get().status).isEqualTo(200);
      assertThat(call("GET", "/api/v1/account/jobs?limit=1", partnerSession, null, false).get().status).isEqualTo(200);
    });
  }

  private record Timed(String what, int status, String retryAfter, String contentType, String body, Duration took) {}

  private static void assertUnavailable(Timed t) {
    assertThat(t.took).as("%s took %s", t.what, t.took).isLessThan(LIMIT);
    assertThat(t.status).as("%s: %s", t.what, t.body).isEqualTo(503);
    assertThat(t.retryAfter).as("%s Retry-After", t.what).isNotNull();
    if (t.what.contains("/app")) {
      assertThat(t.contentType).as(t.what).startsWith("text/html");
    } else if (t.what.contains("/health")) {
      assertThat(new JsonObject(t.body).getString("database")).isEqualTo("DOWN");
    } else {
      assertThat(t.contentType).as(t.what).startsWith("application/problem+json");
      assertThat(new JsonObject(t.body).getString("reason")).as(t.what).isEqualTo("UNAVAILABLE");
    }
  }

  /** During the outage: at most a few lines per kind, and no stack trace from the service's own loggers. */
  private static void assertOutageLoggedBriefly(ListAppender<ILoggingEvent> logs) {
    List<ILoggingEvent> ours = logs.list.stream()
        .filter(e -> e.getLoggerName().startsWith("com.partneraccess") && e.getLevel().isGreaterOrEqual(Level.WARN))
        .collect(Collectors.toList());
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    assertThat(ours).as("warnings with stack traces: %s", ours)
        .noneMatch(e -> e.getThrowableProxy() != null);
    assertThat(ours.size()).as("warnings: %s", ours.stream().map(ILoggingEvent::getFormattedMessage).toList())
        .isLessThanOrEqualTo(8);
  }

  private static ListAppender<ILoggingEvent> captureLogs() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
    return appender;
  }

  private static CompletableFuture<Timed> call(String method, String path, String token, String body, boolean page) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).timeout(Duration.ofSeconds(6));
    if (page) {
      b.header("Accept", "text/html").header("Cookie", "pa_session=" + token);
    } else if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    long start = System.nanoTime();
    String what = method + " " + path + (page ? " (page)" : token == partnerSession ? " (partner)" : "");
    return HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> new Timed(what, r.statusCode(), r.headers().firstValue("Retry-After").orElse(null),
            r.headers().firstValue("Content-Type").orElse(""), r.body(), Duration.ofNanos(System.nanoTime() - start)))
        .exceptionally(e -> new Timed(what, -1, null, "", String.valueOf(e), Duration.ofNanos(System.nanoTime() - start)));
  }

  /** The postmaster (first line of postmaster.pid) and every backend and helper it forked. */
  private static List<Long> postgresPids() throws IOException {
    long postmaster = Long.parseLong(Files.readAllLines(dir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
    List<Long> pids = new ArrayList<>();
    pids.add(postmaster);
    ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(p -> pids.add(p.pid()));
    return pids;
  }

  private static void signal(String signal, List<Long> pids) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kill", signal));
    pids.forEach(p -> cmd.add(Long.toString(p)));
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    assertThat(p.waitFor()).as("kill %s %s", signal, pids).isZero();
  }
}
