package com.partneraccess;

import com.partneraccess.access.AccessRuleVerticle;
import com.partneraccess.banner.BannerVerticle;
import com.partneraccess.config.AppConfig;
import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.db.EmbeddedDatabase;
import com.partneraccess.db.Migrations;
import com.partneraccess.demo.DemoData;
import com.partneraccess.expiry.ExpiryVerticle;
import com.partneraccess.http.HttpServerVerticle;
import com.partneraccess.identity.RevocationVerticle;
import com.partneraccess.time.AppClock;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the service in order: the database (an embedded PostgreSQL under {@code db.dataDir} when no
 * {@code DATABASE_URL} is set), migrations (Flyway, on a worker thread), the access-rule verticle, the banner
 * verticle (live delivery), the revocation verticle (signed-out tokens), the expiry verticle (timer), demo data
 * on an empty development database, then
 * {@code http.instances} HTTP verticles.
 */
public final class MainVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);

  private final AppConfig initial;
  private final AppClock clock;
  private EmbeddedDatabase embedded;
  private AppConfig config;

  public MainVerticle(AppConfig config, AppClock clock) {
    this.initial = config;
    this.clock = clock;
  }

  public MainVerticle(AppConfig config) {
    this(config, AppClock.system(config.testClock()));
  }

  @Override
  public Future<?> start() {
    if (initial.auth().secretGenerated()) {
      LOG.warn("No JWT_SECRET set: using a random secret, so tokens stop working when the service restarts."
          + " Set JWT_SECRET in production.");
    }
    if (clock.movable()) {
      LOG.warn("*** TEST CLOCK IS ON: POST /api/v1/test/clock moves time forward. Never use this in production. ***");
    }
    return database()
        .compose(cfg -> {
          config = cfg;
          DatabaseUrl url = DatabaseUrl.parse(cfg.db().url());
          return vertx.executeBlocking(() -> Migrations.migrate(url, cfg.policy()), false);
        })
        // one access-check instance per HTTP verticle (per event loop): checks are answered in parallel
        .compose(v -> vertx.deployVerticle(() -> new AccessRuleVerticle(config, clock),
            new DeploymentOptions().setInstances(config.http().instances())))
        .compose(v -> vertx.deployVerticle(new BannerVerticle(config)))
        .compose(v -> vertx.deployVerticle(new RevocationVerticle(config)))
        .compose(v -> vertx.deployVerticle(new ExpiryVerticle(config, clock)))
        .compose(v -> config.demoEnabled() ? new DemoData(vertx, config, clock).seed() : Future.succeededFuture())
        .compose(v -> vertx.deployVerticle(() -> new HttpServerVerticle(config, clock),
            new DeploymentOptions().setInstances(config.http().instances())))
        .onSuccess(v -> LOG.info("Partner access service listening on {} ({} HTTP verticles)",
            config.http().publicUrl(), config.http().instances()));
  }

  private Future<AppConfig> database() {
    if (initial.db().url() != null) {
      return Future.succeededFuture(initial);
    }
    return vertx.executeBlocking(() -> {
      embedded = EmbeddedDatabase.start(initial.db().dataDir(), initial.db().embeddedPort(), true);
      return initial.withDatabaseUrl(embedded.url(EmbeddedDatabase.DATABASE));
    }, false);
  }

  /** The configuration in force once the database is known (tests read the URL from it). */
  public AppConfig appConfig() {
    return config;
  }

  public AppClock clock() {
    return clock;
  }

  @Override
  public Future<?> stop() {
    if (embedded == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      embedded.close();
      return null;
    }, false);
  }
}
