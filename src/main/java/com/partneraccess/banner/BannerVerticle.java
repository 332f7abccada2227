package com.partneraccess.banner;

import com.partneraccess.bus.Addresses;
import com.partneraccess.config.AppConfig;
import com.partneraccess.connections.AccessChanges;
import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.db.LiveBatches;
import com.partneraccess.db.OutageLog;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Delivery of stored banners (R17) and of access changes (R7, R19) to this process, whichever instance
 * committed them. Banners are stored, with a NOTIFY on PostgreSQL channel {@code banners}, by {@link BannerStore}
 * inside the change's transaction; access changes NOTIFY on {@code access_changes}; a batch of either (the expiry
 * sweep) NOTIFYs once on {@code live_batches} and is fetched (db/LiveBatches). One {@link PgSubscriber}
 * per process LISTENs on the three (reconnecting every second if the connection drops) and publishes, on the local
 * event bus:
 * <ul>
 *   <li>{@code live.account.<accountId>}: {@code {type: "banner", banner}} for account-audience banners;</li>
 *   <li>{@code live.partner.<partnerId>}: {@code {type: "banner", banner}} for partner-audience banners and
 *       {@code {type: "access_changed", ...}} for the partner's access changes.</li>
 * </ul>
 * The WebSocket handler ({@link WebSocketHandler}) consumes the {@code live.*} addresses: one consumer per address
 * per event loop ({@link LiveHub}), which writes each event, encoded once, to that event loop's sockets.
 * Reads {@code db.url}. Deploy one per process.
 */
public final class BannerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BannerVerticle.class);
  /** While the database is away: one line per 10 s, not one per reconnection attempt. */
  private static final OutageLog OUTAGES = new OutageLog(LOG, 10_000);
  private static final long RECONNECT_MILLIS = 1_000;
  private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(30);

  private final AppConfig config;
  private PgSubscriber subscriber;

  public BannerVerticle(AppConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    subscriber = PgSubscriber.subscriber(vertx, DatabaseUrl.parse(config.db().url()).connectOptions())
        .reconnectPolicy(retries -> {
          OUTAGES.warn("the database notification connection dropped", "reconnecting (attempt " + (retries + 1) + ")");
          return RECONNECT_MILLIS;
        });
    Promise<Void> bannersListening = Promise.promise();
    Promise<Void> accessListening = Promise.promise();
    subscriber.channel(BannerStore.CHANNEL)
        .subscribeHandler(v -> bannersListening.tryComplete())
        .handler(this::bannerRaised);
    subscriber.channel(AccessChanges.CHANNEL)
        .subscribeHandler(v -> accessListening.tryComplete())
        .handler(this::accessChanged);
    // a batch of banners and access changes with one NOTIFY (the expiry sweep, V110): fetched and handled alike
    Promise<Void> batchesListening = Promise.promise();
    subscriber.channel(LiveBatches.CHANNEL)
        .subscribeHandler(v -> batchesListening.tryComplete())
        .handler(LiveBatches.listener(subscriber::actualConnection, List.of(BannerStore.CHANNEL, AccessChanges.CHANNEL),
            (channel, payload) -> {
              if (BannerStore.CHANNEL.equals(channel)) {
                bannerRaised(payload);
              } else {
                accessChanged(payload);
              }
            }));
    return subscriber.connect()
        .compose(v -> Future.all(bannersListening.future(), accessListening.future(), batchesListening.future())
            .timeout(LISTEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
  }

  @Override
  public Future<?> stop() {
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }

  private void bannerRaised(String payload) {
    JsonObject banner = parse(payload);
    if (banner == null) {
      return;
    }
    EventBus bus = vertx.eventBus();
    JsonObject event = new JsonObject().put("type", "banner").put("banner", banner);
    if ("account".equals(banner.getString("audience"))) {
      bus.publish(Addresses.liveAccount(UUID.fromString(banner.getString("accountId"))), event);
    } else if (banner.getString("partnerId") != null) {
      bus.publish(Addresses.livePartner(UUID.fromString(banner.getString("partnerId"))), event);
    }
  }

  private void accessChanged(String payload) {
    JsonObject change = parse(payload);
    if (change == null || change.getString("partnerId") == null) {
      return;
    }
    vertx.eventBus().publish(Addresses.livePartner(UUID.fromString(change.getString("partnerId"))),
        change.copy().put("type", "access_changed"));
  }

  private static JsonObject parse(String payload) {
    try {
      JsonObject json = new JsonObject(payload);
      // an account banner may concern no single partner (R30: the access review)
      return json.getString("partnerId") == null && json.getString("accountId") == null ? null : json;
    } catch (RuntimeException e) {
      LOG.warn("ignored a malformed notification: {}", payload);
      return null;
    }
  }
}
