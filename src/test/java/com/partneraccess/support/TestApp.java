package com.partneraccess.support;

import com.partneraccess.Main;
import com.partneraccess.MainVerticle;
import com.partneraccess.config.AppConfig;
import com.partneraccess.time.AppClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;

/**
 * The whole service, started as {@code Main} starts it, on a fresh database and a free port, with the
 * test clock on, fast password hashing and no demo data. {@link #api()} talks to it over real HTTP.
 */
public final class TestApp implements AutoCloseable {
  public static final String JWT_SECRET = "test-secret-test-secret-test-secret-0123456789";
  public static final String OPS_TOKEN = "test-ops-token";

  public final Vertx vertx;
  public final AppConfig config;
  public final AppClock clock;
  public final int port;
  public final String databaseUrl;
  private final ApiClient api;

  private TestApp(Vertx vertx, AppConfig config, AppClock clock, int port, String databaseUrl) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    this.port = port;
    this.databaseUrl = databaseUrl;
    this.api = new ApiClient("http://localhost:" + port);
  }

  public static TestApp start() {
    return start(new JsonObject());
  }

  /** Starts with {@code overrides} merged (deeply) over the test configuration. */
  public static TestApp start(JsonObject overrides) {
    return start(overrides, TestDatabase.newDatabase());
  }

  public static TestApp start(JsonObject overrides, String databaseUrl) {
    return start(overrides, databaseUrl, AppClock.system(true));
  }

  /**
   * Another instance on {@code databaseUrl} sharing {@code clock}: the test clock is per process, so two
   * instances in one JVM move time together only with one clock.
   */
  public static TestApp start(JsonObject overrides, String databaseUrl, AppClock clock) {
    int port = freePort();
    JsonObject json = new JsonObject()
        // a busy shared test machine may answer slowly while the database is fine, and the race tests queue
        // many transactions on one row: no 503 for that (DatabaseOutageTest sets the production values itself)
        .put("http", new JsonObject().put("port", port).put("instances", 2).put("databaseWaitMillis", 10_000)
            .put("publicUrl", "http://localhost:" + port)
            .put("allowedOrigins", new io.vertx.core.json.JsonArray().add("http://localhost:" + port)))
        .put("db", new JsonObject().put("url", databaseUrl).put("poolSize", 8).put("acquireTimeoutMillis", 10_000))
        .put("auth", new JsonObject().put("bcryptCost", 4).put("secret", JWT_SECRET))
        .put("policy", new JsonObject().put("expiryDays", 60).put("jobThreshold", 100)
            .put("ruleFrom", "2020-07-01T00:00:00Z").put("inviteDays", 14))
        .put("touch", new JsonObject().put("flushMillis", 200))
        .put("testClock", true)
        .put("opsToken", OPS_TOKEN)
        // tests reuse one partner for many invites; the tests of these limits set their own
        .put("limits", new JsonObject().put("invitesPerHour", 100_000).put("resendsPerHour", 100_000))
        .put("demo", new JsonObject().put("enabled", false));
    json.mergeIn(overrides, true);
    AppConfig config = AppConfig.from(json);
    Vertx vertx = Main.newVertx();
    MainVerticle main = new MainVerticle(config, clock);
    vertx.deployVerticle(main).await();
    return new TestApp(vertx, main.appConfig(), clock, port, databaseUrl);
  }

  public ApiClient api() {
    return api;
  }

  public String baseUrl() {
    return "http://localhost:" + port;
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
