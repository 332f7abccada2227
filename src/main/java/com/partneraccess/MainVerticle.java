package com.partneraccess;

import com.partneraccess.access.AccessRuleVerticle;
import com.partneraccess.banner.BannerVerticle;
import com.partneraccess.config.AppConfig;
import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.db.EmbeddedDatabase;
import com.partneraccess.db.Migrations;
import com.partneraccess.demo.DemoData;
import com.partneraccess.expiry.ExpiryVerticle;
import com.partneraccess.reviews.ReviewVerticle;
import com.partneraccess.http.HttpServerVerticle;
import com.partneraccess.identity.RevocationVerticle;
import com.partneraccess.notifications.MailRelayVerticle;
import com.partneraccess.notifications.NotificationVerticle;
import com.partneraccess.time.AppClock;
import io.vertx.core.DeploymentOptions;
import com.partneraccess.webhooks.WebhookDeliveryVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * Starts the service in order: the database (an embedded PostgreSQL under {@code db.dataDir} when no
 * {@code DATABASE_URL} is set), migrations (Flyway, on a worker thread), the access-rule verticle, the banner
 * verticle (live delivery), the revocation verticle (signed-out tokens), the expiry verticle (timer), the
 * notification verticles (live delivery, e-mail outbox relay), demo data
 * on an empty development database, then
 * {@code http.instances} HTTP verticles.
 *
 * <p>The embedded PostgreSQL is watched every {@value #WATCH_MILLIS} ms: if its postmaster dies it is restarted on
 * the same folder and port (the pool reconnects); if {@value #RESTART_ATTEMPTS} restarts fail, {@code onFatal} is
 * called (Main exits non-zero so a supervisor restarts the whole service).
 */
public final class MainVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);

  static final long WATCH_MILLIS = 1000;
  static final int RESTART_ATTEMPTS = 5;

  private final AppConfig initial;
  private final AppClock clock;
  private final Consumer<String> onFatal;
  private volatile EmbeddedDatabase embedded;
  private AppConfig config;
  private long watchTimer = -1;
  private boolean restarting;
  private boolean stopping;

  /** {@code onFatal} is told when the service cannot go on (the embedded database cannot be restarted). */
  public MainVerticle(AppConfig config, AppClock clock, Consumer<String> onFatal) {
    this.initial = config;
    this.clock = clock;
    this.onFatal = onFatal;
  }

  public MainVerticle(AppConfig config, AppClock clock) {
    this(config, clock, reason -> LOG.error("The service cannot go on: {}", reason));
  }

  public MainVerticle(AppConfig config) {
    this(config, AppClock.system(config.testClock()));
  }

  /** The embedded PostgreSQL, or null with an external database (fault tests kill it by its pid). */
  public EmbeddedDatabase embeddedDatabase() {
    return embedded;
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
        // one access-check instance per event loop (deployed one after another, they take the loops in turn): checks
        // are answered in parallel, each on the loop of the request that asks (access/LoopLocalChecks)
        .compose(v -> vertx.deployVerticle(AccessRuleVerticle.forProcess(config, clock),
            new DeploymentOptions().setInstances(Math.max(config.http().instances(), Main.EVENT_LOOPS))))
        .compose(v -> vertx.deployVerticle(new BannerVerticle(config)))
        .compose(v -> vertx.deployVerticle(new RevocationVerticle(config)))
        .compose(v -> vertx.deployVerticle(new ExpiryVerticle(config, clock)))
        .compose(v -> vertx.deployVerticle(new NotificationVerticle(config)))
        .compose(v -> vertx.deployVerticle(new MailRelayVerticle(config, clock)))
        .compose(v -> vertx.deployVerticle(new ReviewVerticle(config, clock)))
        .compose(v -> vertx.deployVerticle(new WebhookDeliveryVerticle(config, clock)))
        .compose(v -> config.demoEnabled() ? new DemoData(vertx, config, clock).seed() : Future.succeededFuture())
        .compose(v -> vertx.deployVerticle(() -> new HttpServerVerticle(config, clock),
            new DeploymentOptions().setInstances(config.http().instances())))
        .onSuccess(v -> {
          watchEmbedded();
          LOG.info("Partner access service listening on port {} of every interface, public URL {} ({} HTTP verticles);"
                  + " {}", config.http().port(), config.http().publicUrl(), config.http().instances(),
              describeRule(config.policy()));
        });
  }

  /** R11-R13 in one phrase, so the start-up line shows whether the rule is on. */
  static String describeRule(AppConfig.Policy policy) {
    return policy.ruleFrom() == null
        ? "the " + policy.expiryDays() + "-day rule is off (only accounts switched on by an operator)"
        : "the " + policy.expiryDays() + "-day rule is on from " + policy.ruleFrom() + " after "
            + policy.jobThreshold() + " jobs";
  }

  private void watchEmbedded() {
    if (embedded == null) {
      return;
    }
    watchTimer = vertx.setPeriodic(WATCH_MILLIS, id -> {
      if (!restarting && !stopping && !embedded.isRunning()) {
        restarting = true;
        restartEmbedded(1);
      }
    });
  }

  private void restartEmbedded(int attempt) {
    EmbeddedDatabase dead = embedded;
    LOG.error("The embedded PostgreSQL (pid {}) has stopped: restarting it on port {} (attempt {} of {})",
        dead.pid(), dead.port(), attempt, RESTART_ATTEMPTS);
    vertx.executeBlocking(dead::restart, false)
        .onSuccess(db -> {
          embedded = db;
          restarting = false;
          LOG.info("The embedded PostgreSQL is running again (pid {})", db.pid());
        })
        .onFailure(err -> {
          if (stopping) {
            return;
          }
          if (attempt < RESTART_ATTEMPTS) {
            LOG.warn("Restarting the embedded PostgreSQL failed: {}", err.getMessage());
            vertx.setTimer(1000L * attempt, t -> restartEmbedded(attempt + 1));
          } else {
            onFatal.accept("the embedded PostgreSQL could not be restarted after " + RESTART_ATTEMPTS
                + " attempts (" + err.getMessage() + ")");
          }
        });
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
    stopping = true;
    vertx.cancelTimer(watchTimer);
    if (embedded == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      embedded.close();
      return null;
    }, false);
  }
}
