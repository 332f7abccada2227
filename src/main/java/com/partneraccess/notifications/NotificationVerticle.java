package com.partneraccess.notifications;

import com.partneraccess.bus.Addresses;
import com.partneraccess.config.AppConfig;
import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.db.LiveBatches;
import com.partneraccess.db.OutageLog;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Live delivery of notifications (R27, R31) to this process, whichever instance committed them. A
 * {@link PgSubscriber} LISTENs on PostgreSQL channel {@value NotificationStore#CHANNEL} (NOTIFYs are sent only
 * when the change commits), and on {@code live_batches} for batches of them (the expiry sweep: one NOTIFY per batch,
 * the notifications fetched, db/LiveBatches), and publishes {@code {type: "notification", notification}} on the address of the
 * recipient's sockets: {@code live.account.<accountId>} for customer users, {@code live.partner.<partnerId>} for
 * partner users. Only the sockets of that user get it (banner/LiveHub). Reads {@code db.url}. Deploy one
 * per process.
 */
public final class NotificationVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationVerticle.class);
  private static final OutageLog OUTAGES = new OutageLog(LOG, 10_000);
  private static final long RECONNECT_MILLIS = 1_000;
  private static final long LISTEN_TIMEOUT_MILLIS = 30_000;

  private final AppConfig config;
  private PgSubscriber subscriber;

  public NotificationVerticle(AppConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    subscriber = PgSubscriber.subscriber(vertx, DatabaseUrl.parse(config.db().url()).connectOptions())
        .reconnectPolicy(retries -> {
          OUTAGES.warn("the notification listener's connection dropped", "reconnecting (attempt " + (retries + 1) + ")");
          return RECONNECT_MILLIS;
        });
    Promise<Void> listening = Promise.promise();
    subscriber.channel(NotificationStore.CHANNEL)
        .subscribeHandler(v -> listening.tryComplete())
        .handler(this::stored);
    // a batch of notifications with one NOTIFY (the expiry sweep, V110): fetched and handled alike
    Promise<Void> batchesListening = Promise.promise();
    subscriber.channel(LiveBatches.CHANNEL)
        .subscribeHandler(v -> batchesListening.tryComplete())
        .handler(LiveBatches.listener(subscriber::actualConnection, List.of(NotificationStore.CHANNEL),
            (channel, payload) -> stored(payload)));
    return subscriber.connect().compose(v -> Future.all(listening.future(), batchesListening.future())
        .timeout(LISTEN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
  }

  @Override
  public Future<?> stop() {
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }

  private void stored(String payload) {
    JsonObject n;
    try {
      n = new JsonObject(payload);
    } catch (RuntimeException e) {
      LOG.warn("ignored a malformed notification: {}", payload);
      return;
    }
    String account = n.getString("accountId");
    String partner = n.getString("partnerId");
    if (n.getString("userId") == null || (account == null && partner == null)) {
      return;
    }
    String address = account != null ? Addresses.liveAccount(UUID.fromString(account))
        : Addresses.livePartner(UUID.fromString(partner));
    JsonObject notification = new JsonObject().put("id", n.getString("id")).put("kind", n.getString("kind"))
        .put("message", n.getString("message")).put("link", n.getString("link"))
        .put("createdAt", n.getString("createdAt")).put("read", false);
    vertx.eventBus().publish(address, new JsonObject().put("type", "notification").put("userId", n.getString("userId"))
        .put("notification", notification));
  }
}
