package com.partneraccess;

import com.partneraccess.config.AppConfig;
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

import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the configuration (file, then system properties, then environment) and deploys {@link MainVerticle}. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    Vertx vertx = newVertx();
    loadConfig(vertx)
        .compose(json -> {
          AppConfig config = AppConfig.from(json);
          MainVerticle main = new MainVerticle(config);
          return vertx.deployVerticle(main);
        })
        .onFailure(err -> {
          LOG.error("The service could not start", err);
          vertx.close().onComplete(x -> Runtime.getRuntime().halt(1));
        });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await(), "shutdown"));
  }

  /** A Vert.x instance with Micrometer metrics exposed for Prometheus at /metrics. */
  public static Vertx newVertx() {
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setJvmMetricsEnabled(true)
        .setEnabled(true));
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory()).build();
  }

  public static Future<JsonObject> loadConfig(Vertx vertx) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setIncludeDefaultStores(false);
    String file = System.getProperty("config", System.getenv().getOrDefault("CONFIG_FILE", "conf/config.json"));
    if (Files.exists(Path.of(file))) {
      options.addStore(new ConfigStoreOptions().setType("file").setFormat("json")
          .setConfig(new JsonObject().put("path", file)));
    } else {
      LOG.warn("No configuration file at {}: using built-in defaults", file);
    }
    options.addStore(new ConfigStoreOptions().setType("sys"));
    options.addStore(new ConfigStoreOptions().setType("env"));
    return ConfigRetriever.create(vertx, options).getConfig();
  }
}
