package com.partneraccess.identity;

import com.partneraccess.config.AppConfig;
import com.partneraccess.db.Database;
import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.db.OutageLog;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Keeps this process's list of signed-out tokens ({@link RevokedTokens}) current: LISTENs on PostgreSQL
 * channel {@value RevokedTokens#CHANNEL} (so a sign-out on any instance ends the token on every instance),
 * loads the revocations still in force each time that connection (re)connects (so a dropped connection misses
 * nothing for longer than its reconnect delay of {@value #RECONNECT_MILLIS} ms), and hourly forgets expired ones. Reads {@code db.url}.
 * Deploy one per process, before the HTTP verticles.
 */
public final class RevocationVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RevocationVerticle.class);
  /** While the database is away: one line per 10 s, not one per reconnection attempt. */
  private static final OutageLog OUTAGES = new OutageLog(LOG, 10_000);
  private static final long RECONNECT_MILLIS = 1_000;
  private static final long PURGE_MILLIS = 3_600_000;

  private final AppConfig config;
  private PgSubscriber subscriber;
  private Pool pool;
  private long timer = -1;

  public RevocationVerticle(AppConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    RevokedTokens revoked = new RevokedTokens(vertx);
    DatabaseUrl url = DatabaseUrl.parse(config.db().url());
    pool = Database.pool(vertx, url, config.db());
    subscriber = PgSubscriber.subscriber(vertx, url.connectOptions()).reconnectPolicy(retries -> {
      OUTAGES.warn("the revocation notification connection dropped", "reconnecting (attempt " + (retries + 1) + ")");
      return RECONNECT_MILLIS;
    });
    Promise<Void> listening = Promise.promise();
    // on every (re)connect, once LISTEN is active: load what is in the table, which covers any notification sent
    // while the connection was down (and, at start, a sign-out committed between LISTEN and the load)
    subscriber.channel(RevokedTokens.CHANNEL)
        .subscribeHandler(v -> revoked.load(pool)
            .onSuccess(n -> {
              LOG.info("listening for sign-outs; {} signed-out tokens in force", n);
              listening.tryComplete();
            })
            .onFailure(err -> {
              LOG.warn("could not load the signed-out tokens", err);
              listening.tryFail(err);
            }))
        .handler(revoked::remember);
    timer = vertx.setPeriodic(PURGE_MILLIS, id -> revoked.forgetExpired());
    return subscriber.connect().compose(v -> listening.future().timeout(30, TimeUnit.SECONDS));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return subscriber.close().eventually(() -> pool.close());
  }
}
