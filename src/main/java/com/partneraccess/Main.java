package com.partneraccess;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.partneraccess.config.AppConfig;
import com.partneraccess.config.ConfigCheck;
import com.partneraccess.config.ConfigException;
import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.time.AppClock;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Loads the configuration (the defaults in the jar, then {@code conf/config.json}, then system properties, then
 * environment), checks it and deploys {@link MainVerticle}. Anything that stops the start is reported as one line
 * and exits with status 1 (2 for a configuration error), so a supervisor sees the failure and an operator the cause.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  static final int EXIT_FAILED = 1;
  static final int EXIT_CONFIG = 2;

  /**
   * One event loop per core (Vert.x's default is two): the HTTP verticles and the access-check verticles are
   * deployed one per loop, so a partner's check is answered on the loop that holds its request
   * ({@code access/LoopLocalChecks}) and no loop waits for a core held by another loop's thread.
   */
  public static final int EVENT_LOOPS = Runtime.getRuntime().availableProcessors();

  private Main() {}

  public static void main(String[] args) {
    Vertx vertx = newVertx();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await(), "shutdown"));
    AppConfig config;
    try {
      config = AppConfig.from(loadConfig(vertx).await());
      check(config);
    } catch (ConfigException | IllegalArgumentException | ClassCastException | java.time.DateTimeException e) {
      LOG.error("Configuration error: {}", oneLine(e));
      LOG.debug("Configuration error details", e);
      System.exit(EXIT_CONFIG);
      return;
    }
    try {
      vertx.deployVerticle(new MainVerticle(config, AppClock.system(config.testClock()), Main::fatal)).await();
    } catch (Throwable e) {
      if (rootCause(e) instanceof BindException || String.valueOf(rootCause(e).getMessage()).contains("Address already in use")) {
        LOG.error("Configuration error: {}", ConfigCheck.portTaken(config.http().port()).getMessage());
        System.exit(EXIT_CONFIG);
      }
      LOG.error("The service could not start: {}", oneLine(e));
      LOG.debug("Start-up failure details", e);
      System.exit(EXIT_FAILED);
    }
  }

  /** Checks that need no running service: a readable DATABASE_URL, a JWT_SECRET where required, a free port. */
  static void check(AppConfig config) {
    if (config.db().url() != null) {
      DatabaseUrl.parse(config.db().url());
    }
    ConfigCheck.productionSecret(config);
    ConfigCheck.portFree(config.http().port());
  }

  /** The service cannot go on (its embedded database cannot be restarted): exit so a supervisor restarts it. */
  static void fatal(String reason) {
    LOG.error("Exiting: {}", reason);
    // Not on the caller's (event-loop) thread: the shutdown hook waits for Vert.x to close.
    new Thread(() -> System.exit(EXIT_FAILED), "fatal-exit").start();
  }

  /**
   * A Vert.x instance with Micrometer metrics exposed for Prometheus at /metrics: only what /metrics is read for
   * (HTTP server requests by method and status, worker and SQL pools, the JVM). Event-bus, TCP, HTTP-client,
   * datagram and verticle meters are off: each would be updated on every request's hot path (the access check is
   * a bus message) for figures nobody reads, and the bus ones would be labelled with one address per socket.
   * Vert.x's HTTP server meters are off too: {@code http/RequestMeter} keeps the two that are read, more cheaply.
   */
  public static Vertx newVertx() {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setJvmMetricsEnabled(true)
        .setLabels(java.util.EnumSet.of(io.vertx.micrometer.Label.HTTP_METHOD, io.vertx.micrometer.Label.HTTP_CODE,
            io.vertx.micrometer.Label.POOL_TYPE, io.vertx.micrometer.Label.POOL_NAME))
        .setEnabled(true);
    for (io.vertx.micrometer.MetricsDomain off : java.util.EnumSet.of(io.vertx.micrometer.MetricsDomain.EVENT_BUS,
        io.vertx.micrometer.MetricsDomain.NET_SERVER, io.vertx.micrometer.MetricsDomain.NET_CLIENT,
        io.vertx.micrometer.MetricsDomain.HTTP_CLIENT, io.vertx.micrometer.MetricsDomain.DATAGRAM_SOCKET,
        io.vertx.micrometer.MetricsDomain.HTTP_SERVER,
        io.vertx.micrometer.MetricsDomain.VERTICLES)) {
      metrics.addDisabledMetricsCategory(off);
    }
    VertxOptions options = new VertxOptions().setMetricsOptions(metrics).setEventLoopPoolSize(EVENT_LOOPS);
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory()).build();
  }

  /**
   * The merged configuration: the defaults in the jar, the file ({@code -Dconfig}, {@code CONFIG_FILE} or
   * {@code conf/config.json}) if present, system properties, environment. A malformed file or a key of the wrong
   * type fails with a {@link ConfigException} naming the file and line, or the key.
   */
  public static Future<JsonObject> loadConfig(Vertx vertx) {
    JsonObject defaults;
    JsonObject file;
    try {
      defaults = AppConfig.defaults();
      file = readConfigFile(defaults);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setIncludeDefaultStores(false)
        .addStore(new ConfigStoreOptions().setType("json").setConfig(defaults))
        .addStore(new ConfigStoreOptions().setType("json").setConfig(file))
        .addStore(new ConfigStoreOptions().setType("sys"))
        .addStore(new ConfigStoreOptions().setType("env"));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig()
        .eventually(retriever::close)
        .map(json -> {
          ConfigCheck.numericKeys(json);
          return json;
        });
  }

  private static JsonObject readConfigFile(JsonObject defaults) {
    String file = System.getProperty("config", System.getenv().getOrDefault("CONFIG_FILE", "conf/config.json"));
    Path path = Path.of(file);
    if (!Files.exists(path)) {
      LOG.info("No configuration file at {}: using the defaults in the jar", path.toAbsolutePath());
      return new JsonObject();
    }
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot be read (" + e.getMessage() + ")");
    }
    try {
      new ObjectMapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigException(file + " line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ": not valid JSON (" + e.getOriginalMessage() + ")");
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (RuntimeException e) {
      throw new ConfigException(file + ": must hold one JSON object");
    }
    ConfigCheck.sameTypes(defaults, json, file);
    return json;
  }

  /** The messages of an exception and its causes, without repeats, on one line. */
  static String oneLine(Throwable e) {
    Set<String> parts = new LinkedHashSet<>();
    for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
      if (parts.stream().noneMatch(p -> p.contains(m))) {
        parts.add(m.replaceAll("\\s*\\R\\s*", " "));
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return String.join(": ", parts);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
