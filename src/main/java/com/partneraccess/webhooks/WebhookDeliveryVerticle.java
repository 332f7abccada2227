package com.partneraccess.webhooks;

import com.partneraccess.config.AppConfig;
import com.partneraccess.db.Database;
import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * R33: delivers the webhook outbox. Every {@code webhooks.pollMillis} it claims up to {@code webhooks.batchSize} due
 * deliveries (each the oldest pending one of its subscription and connection: in order per connection), POSTs them in
 * parallel as signed JSON ({@link WebhookSigner}), and records each attempt: 2xx delivers; anything else (a status, a
 * refused connection, a timeout) retries after {@code backoffBaseMillis * 2^(attempt-1)} (at most
 * {@code backoffMaxMillis}) until {@code maxAttempts}, then gives up ('failed', visible in the log, redeliverable).
 * At least once: a delivery is marked only after its answer, and a claim is a lease (an instance that dies mid-flight
 * leaves it due again once the lease ends), so a receiver may see an event twice and de-duplicates on its id.
 * Rounds never overlap in a process; across processes {@code SKIP LOCKED} splits the work. Timeouts: connect and
 * whole request {@code webhooks.timeoutMillis}. Reads {@code webhooks.*}, {@code db.*}. No event-bus addresses.
 * Deploy one per process.
 */
public final class WebhookDeliveryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveryVerticle.class);
  private static final com.partneraccess.db.OutageLog OUTAGES = new com.partneraccess.db.OutageLog(LOG, 10_000);
  static final int ERROR_MAX = 500;

  private final AppConfig config;
  private final AppClock clock;
  private final AppConfig.Webhooks settings;
  private Pool pool;
  private HttpClient client;
  private WebhookRepository repository;
  private Future<Void> round = Future.succeededFuture();
  private long timerId = -1;

  public WebhookDeliveryVerticle(AppConfig config, AppClock clock) {
    this.config = config;
    this.clock = clock;
    this.settings = config.webhooks();
  }

  @Override
  public Future<?> start() {
    if (!settings.enabled()) {
      LOG.info("webhook delivery is off (webhooks.enabled=false): events stay in the outbox");
      return Future.succeededFuture();
    }
    pool = Database.pool(vertx, DatabaseUrl.parse(config.db().url()), 2);
    repository = new WebhookRepository(pool, clock);
    client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(settings.timeoutMillis())
            .setIdleTimeout(settings.timeoutMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            .setKeepAlive(true).setMaxRedirects(0),
        new PoolOptions().setHttp1MaxSize(Math.max(1, Math.min(settings.batchSize(), 16))));
    timerId = vertx.setPeriodic(settings.pollMillis(), id -> {
      if (round.isComplete()) {
        round = deliverDue().onFailure(err -> OUTAGES.failure("webhook round failed; the next tick retries", err));
      }
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    if (pool == null) {
      return Future.succeededFuture();
    }
    return round.transform(x -> client.close()).transform(x -> pool.close());
  }

  /** One round: claim a batch, send it, and claim again at once while batches come back full. */
  private Future<Void> deliverDue() {
    Instant now = clock.now();
    Instant lease = now.plusMillis(settings.timeoutMillis() * 2L + 5_000L);
    return repository.claim(now, settings.batchSize(), lease).compose(batch -> {
      List<Future<Void>> sent = new ArrayList<>(batch.size());
      batch.forEach(c -> sent.add(deliver(c)));
      return Future.join(sent).transform(x -> batch.size() == settings.batchSize() ? deliverDue()
          : Future.<Void>succeededFuture());
    });
  }

  /** The JSON the receiver gets: the event's id (its de-duplication key), kind, time and data. */
  static JsonObject envelope(WebhookRepository.Claimed c) {
    return new JsonObject().put("id", c.eventId()).put("type", c.kind()).put("occurredAt", c.occurredAt())
        .put("deliveryId", c.id()).put("attempt", c.attempts()).put("data", c.data());
  }

  private Future<Void> deliver(WebhookRepository.Claimed c) {
    Buffer body = Buffer.buffer(envelope(c).encode());
    String timestamp = Long.toString(clock.now().getEpochSecond());
    long started = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(c.url())
        .setConnectTimeout(settings.timeoutMillis()).setIdleTimeout(settings.timeoutMillis())
        .putHeader("Content-Type", "application/json")
        .putHeader("User-Agent", "partner-access-webhooks/1")
        .putHeader("X-Webhook-Id", Long.toString(c.eventId()))
        .putHeader("X-Webhook-Event", c.kind())
        .putHeader(WebhookSigner.TIMESTAMP_HEADER, timestamp)
        .putHeader(WebhookSigner.SIGNATURE_HEADER, WebhookSigner.sign(c.secret(), timestamp, body.getBytes()));
    Future<Integer> exchange;
    try {
      exchange = client.request(options)
          .compose(req -> req.send(body))
          .compose(res -> {
            res.handler(ignored -> { }); // the receiver's body is not kept: no memory for a chatty receiver
            return res.end().map(v -> res.statusCode());
          })
          .timeout(settings.timeoutMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException badUrl) {
      exchange = Future.failedFuture(badUrl);
    }
    return exchange.transform(ar -> {
      int took = (int) Duration.ofNanos(System.nanoTime() - started).toMillis();
      Integer status = ar.succeeded() ? ar.result() : null;
      boolean delivered = status != null && status >= 200 && status < 300;
      String error = delivered ? null : status != null ? "HTTP " + status : describe(ar.cause());
      Instant now = clock.now();
      return repository.finish(c.id(), now, status, error, took, delivered, now.plusMillis(backoff(c.attempts())),
          settings.maxAttempts());
    });
  }

  /** After the n-th failed attempt: base * 2^(n-1), at most the maximum. */
  long backoff(int attempts) {
    int shift = Math.min(Math.max(attempts - 1, 0), 30);
    long wait = settings.backoffBaseMillis() << shift;
    return wait <= 0 ? settings.backoffMaxMillis() : Math.min(wait, settings.backoffMaxMillis());
  }

  private static String describe(Throwable t) {
    String s = t == null ? "unknown error" : t.getClass().getSimpleName() + ": " + t.getMessage();
    return s.length() > ERROR_MAX ? s.substring(0, ERROR_MAX) : s;
  }
}
