package com.partneraccess.notifications;

import com.partneraccess.config.AppConfig;
import com.partneraccess.db.Database;
import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.mail.Mailer;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The e-mail outbox's relay (R27, R31): every {@code mail.outbox.pollMillis} it claims up to
 * {@code mail.outbox.batchSize} due e-mails ({@link OutboxRepository}: {@code FOR UPDATE SKIP LOCKED}, so several
 * instances share the work), sends them through {@link Mailer} (each within {@code mail.outbox.sendTimeoutMillis})
 * and records the outcome. A refused or timed-out send is tried again after {@code mail.outbox.backoffMillis}, doubled
 * at each attempt up to {@code mail.outbox.maxBackoffMillis}; after {@code mail.outbox.maxAttempts} attempts it is
 * marked failed (logged, kept in the table with its last error). Delivery is at least once: a claimed row whose
 * instance died is claimed again once its lease ({@code mail.outbox.leaseSeconds}) ends. Relays of one process never
 * overlap; a full batch is followed at once by the next. Retention: every {@code retention.purgeSeconds} the e-mails
 * sent or given up more than {@code retention.outboxDays} days ago are deleted, {@code retention.batchSize} per
 * statement (pending ones never). Reads {@code db.*}, {@code mail.*}, {@code retention.*}, {@code http.publicUrl}.
 * Deploy one per process.
 */
public final class MailRelayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MailRelayVerticle.class);
  private static final com.partneraccess.db.OutageLog OUTAGES = new com.partneraccess.db.OutageLog(LOG, 10_000);

  private final AppConfig config;
  private final AppClock clock;
  private Pool pool;
  private Mailer mailer;
  private OutboxRepository outbox;
  private long timerId = -1;
  private long purgeTimerId = -1;
  private Future<Integer> running = Future.succeededFuture(0);
  private Future<Integer> purging = Future.succeededFuture(0);

  public MailRelayVerticle(AppConfig config, AppClock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, DatabaseUrl.parse(config.db().url()), config.db());
    mailer = Mailer.create(vertx, config.mail());
    outbox = new OutboxRepository(pool);
    timerId = vertx.setPeriodic(config.mail().outbox().pollMillis(), id -> {
      if (running.isComplete()) {
        running = relayAll(0).onFailure(err -> OUTAGES.failure("the mail relay could not read the outbox; the next tick retries",
            err));
      }
    });
    purgeTimerId = vertx.setPeriodic(config.retention().purgeSeconds() * 1000L, id -> {
      if (purging.isComplete()) {
        OffsetDateTime before = clock.nowUtc().minusDays(config.retention().outboxDays());
        purging = purgeAll(before, 0).onFailure(err -> OUTAGES.failure(
            "the mail relay could not purge old e-mails from the outbox; the next purge retries", err));
      }
    });
    return Future.succeededFuture();
  }

  /** Batches of finished e-mails older than {@code before} until one comes back short; returns how many went. */
  private Future<Integer> purgeAll(OffsetDateTime before, int done) {
    int batch = config.retention().batchSize();
    return outbox.purge(before, batch)
        .compose(n -> n < batch ? Future.succeededFuture(done + n) : purgeAll(before, done + n));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timerId);
    vertx.cancelTimer(purgeTimerId);
    return running.transform(x -> purging).transform(x -> mailer.close()).transform(x -> pool.close());
  }

  /** Batches until one comes back short (nothing more is due now); returns how many e-mails it handled. */
  private Future<Integer> relayAll(int done) {
    AppConfig.Outbox o = config.mail().outbox();
    OffsetDateTime now = clock.nowUtc();
    return outbox.claim(now, o.batchSize(), now.plusSeconds(o.leaseSeconds()))
        .compose(batch -> {
          List<Future<Void>> sends = new ArrayList<>(batch.size());
          batch.forEach(m -> sends.add(send(m)));
          return Future.join(sends).transform(x -> Future.succeededFuture(batch.size()));
        })
        .compose(n -> n < o.batchSize() ? Future.succeededFuture(done + n) : relayAll(done + n));
  }

  private Future<Void> send(OutboxRepository.Mail m) {
    AppConfig.Outbox o = config.mail().outbox();
    Map<String, Object> model = plain(m.model());
    String base = config.http().publicUrl() == null ? "" : config.http().publicUrl();
    Object link = model.get("link");
    model.put("link", link == null ? base + "/notifications" : base + link);
    model.put("preferencesLink", base + "/notifications/preferences");
    return mailer.send(m.recipient(), m.template(), model)
        .timeout(o.sendTimeoutMillis(), TimeUnit.MILLISECONDS)
        .transform(ar -> {
          if (ar.succeeded()) {
            return outbox.sent(m.id(), clock.nowUtc());
          }
          String error = String.valueOf(ar.cause().getMessage());
          if (m.attempt() >= o.maxAttempts()) {
            LOG.error("gave up e-mailing {} after {} attempts: {}", m.recipient(), m.attempt(), error);
            return outbox.failed(m.id(), error);
          }
          Duration wait = backoff(o, m.attempt());
          LOG.info("e-mail to {} not sent (attempt {} of {}): {}; trying again in {} ms", m.recipient(), m.attempt(),
              o.maxAttempts(), error, wait.toMillis());
          return outbox.retry(m.id(), clock.nowUtc().plus(wait), error);
        });
  }

  /** The stored model as plain maps and lists all the way down (what the templates read), not JSON wrappers. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> plain(JsonObject json) {
    return (Map<String, Object>) plainValue(json);
  }

  private static Object plainValue(Object v) {
    if (v instanceof JsonObject j) {
      v = j.getMap();
    } else if (v instanceof JsonArray a) {
      v = a.getList();
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new HashMap<>();
      map.forEach((k, x) -> out.put(String.valueOf(k), plainValue(x)));
      return out;
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(x -> out.add(plainValue(x)));
      return out;
    }
    return v;
  }

  /** {@code backoffMillis × 2^(attempt-1)}, at most {@code maxBackoffMillis}. */
  static Duration backoff(AppConfig.Outbox o, int attempt) {
    long millis = o.backoffMillis();
    for (int i = 1; i < attempt && millis < o.maxBackoffMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, o.maxBackoffMillis()));
  }
}
