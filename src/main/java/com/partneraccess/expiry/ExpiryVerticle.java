package com.partneraccess.expiry;

import com.partneraccess.bus.Addresses;
import com.partneraccess.bus.Problem;
import com.partneraccess.config.AppConfig;
import com.partneraccess.db.Database;
import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.db.OutageLog;
import com.partneraccess.db.Unavailable;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The 60-day rule's timer (R11-R14). Every {@code expiry.sweepSeconds} it marks access {@code expired} for
 * enabled connections past {@code expires_at}, in batches of {@code expiry.batchSize} (at most {@value #MAX_BATCH};
 * one short transaction each, with the batch's activity rows, banners, history, notifications, e-mails and webhook
 * outbox rows written set-based and ONE NOTIFY for the batch, V110), pausing up to {@code expiry.pauseMillis} between
 * two batches (at most a tenth of the batch's own time, {@link BatchPace}) so that requests get the cores back
 * ({@code expiry.workers} such loops at once, at most {@value #MAX_WORKERS}: more use more cores, and take them
 * from requests); then it sends the warnings of {@code expiry.warningDays} (banner to the partner, once per
 * threshold and expiry period). Consumes {@code expiry.sweep} (request/reply: run a sweep now, replies
 * {@code {expired, warned}}). Reads {@code expiry.*}, {@code policy.expiryDays},
 * {@code touch.flushMillis}. Deploy one per process.
 *
 * <p>Sweeps never overlap in a process: a timer tick while a sweep runs is skipped, and requested sweeps
 * queue behind the running one. Across processes, {@code FOR UPDATE SKIP LOCKED} gives each instance
 * disjoint rows. All work is asynchronous SQL; the event loop only handles one batch's reply at a time.
 * A round's first batch is small and the size grows while batches are fast ({@link BatchPace}: cold first batches
 * no longer pass the statement timeout). A batch cancelled by the statement timeout ({@code db.statementTimeoutMillis})
 * is retried at once with half the rows, down to {@value #MIN_BATCH}, and the round goes on at that size until fast
 * batches lift it again; failed rounds are logged through {@link OutageLog} (once a minute while they keep failing the same way).
 * Rows are swept {@code 2 × touch.flushMillis} after their expiry so an access seen just before expiry, whose
 * touch is still buffered, is flushed first (the access check already refuses a request past expiry, R14).
 */
public final class ExpiryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ExpiryVerticle.class);
  /** Failed rounds (and given-up ones) once per kind per minute, not at every tick while the database is out. */
  private static final OutageLog OUTAGES = new OutageLog(LOG, 60_000);
  /** A batch cancelled by the statement timeout is retried with half the rows, down to this many. */
  static final int MIN_BATCH = 16;
  /** The largest batch: one transaction holds at most this many row locks (and one live batch's payloads). */
  static final int MAX_BATCH = 10_000;
  /** The most batches of one process at once ({@code expiry.workers}). */
  static final int MAX_WORKERS = 4;

  /** The outcome of one sweep. */
  public record Sweep(int expired, int warned) {
    JsonObject toJson() {
      return new JsonObject().put("expired", expired).put("warned", warned);
    }
  }

  private final AppConfig config;
  private final AppClock clock;
  private Pool pool;
  private ExpiryRepository repository;
  private Future<Sweep> tail = Future.succeededFuture(new Sweep(0, 0));
  private long timerId = -1;

  public ExpiryVerticle(AppConfig config, AppClock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, DatabaseUrl.parse(config.db().url()), config.db());
    repository = new ExpiryRepository(pool);
    timerId = vertx.setPeriodic(config.expiry().sweepSeconds() * 1000L, id -> {
      if (tail.isComplete()) {
        sweepQueued().onFailure(err -> OUTAGES.failure("expiry sweep failed; the next tick retries", err));
      }
    });
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.EXPIRY_SWEEP, this::sweepRequested);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timerId);
    return tail.transform(x -> pool.close());
  }

  private void sweepRequested(Message<JsonObject> msg) {
    sweepQueued()
        .onSuccess(s -> msg.reply(s.toJson()))
        .onFailure(err -> {
          OUTAGES.failure("requested expiry sweep failed", err);
          msg.fail(Problem.UNAVAILABLE.code, "The expiry sweep could not complete");
        });
  }

  /** Runs a sweep after any running one: sweeps of this process never overlap. */
  private Future<Sweep> sweepQueued() {
    tail = tail.transform(x -> sweep());
    return tail;
  }

  private Future<Sweep> sweep() {
    OffsetDateTime now = clock.nowUtc();
    OffsetDateTime cutoff = now.minus(Duration.ofMillis(2 * config.touchFlushMillis()));
    int batch = Math.max(1, Math.min(MAX_BATCH, config.expiry().batchSize()));
    int workers = Math.max(1, Math.min(MAX_WORKERS, config.expiry().workers()));
    return repository.pruneLiveBatches()
        .compose(pruned -> expireWith(workers, cutoff, now, batch))
        .compose(expired -> warnAll(now, config.expiry().warningDays(), BatchPace.first(batch))
            .map(w -> new Sweep(expired, w)))
        .onSuccess(s -> {
          if (s.expired() > 0 || s.warned() > 0) {
            LOG.info("expiry sweep: {} connections expired, {} warnings sent", s.expired(), s.warned());
          }
        });
  }

  /**
   * {@code workers} loops of batches at once (each batch locks other rows, {@code SKIP LOCKED}); done when every loop
   * has had a short batch. Returns how many connections they expired together.
   */
  private Future<Integer> expireWith(int workers, OffsetDateTime cutoff, OffsetDateTime now, int batch) {
    List<Future<Integer>> loops = new java.util.ArrayList<>(workers);
    for (int i = 0; i < workers; i++) {
      loops.add(expireAll(cutoff, now, BatchPace.first(batch)));
    }
    return Future.all(loops).map(all -> loops.stream().mapToInt(Future::result).sum());
  }

  private Future<Integer> expireAll(OffsetDateTime cutoff, OffsetDateTime now, BatchPace pace) {
    return inBatches(size -> repository.expireBatch(cutoff, size, now, config.policy().expiryDays()), pace, 0);
  }

  private Future<Integer> warnAll(OffsetDateTime now, List<Integer> days, BatchPace pace) {
    return days.isEmpty() ? Future.succeededFuture(0)
        : inBatches(size -> repository.warnBatch(now, days, size), pace, 0);
  }

  /**
   * One transaction per batch ({@code run} with the batch's size, returning the rows it did) until a batch comes back
   * short; each step returns to the event loop, and the next batch starts after a pause ({@link BatchPace#pauseAfter})
   * once the previous one committed. The batch size starts small and grows while batches are fast ({@link BatchPace});
   * a batch cancelled by the statement timeout rolled back whole, so it is retried at once with half the rows
   * ({@link #halving}), and the size that ran is the ceiling until fast batches lift it again.
   */
  private Future<Integer> inBatches(java.util.function.Function<Integer, Future<Integer>> run, BatchPace pace,
                                    int done) {
    return halving(pace.size(), run)
        .compose(b -> b.done() < b.size() ? Future.succeededFuture(done + b.done())
            : pause(b).compose(v -> inBatches(run, pace.next(b.size(), b.millis(), timeoutMillis()), done + b.done())));
  }

  private long timeoutMillis() {
    return config.db().statementTimeoutMillis();
  }

  /** A batch that ran: the size it ran with, how many rows it did and how long it took (ms, its last attempt). */
  record Batch(int size, int done, long millis) {}

  /**
   * Runs {@code run} with {@code size} rows; if PostgreSQL cancelled it on the statement timeout (SQLSTATE 57014; the
   * batch's transaction rolled back, nothing of it was written), again with half the rows, down to
   * {@value #MIN_BATCH}. Below that the round gives up with the timeout (logged once per minute, the next tick
   * retries). Any other failure fails the round at once.
   */
  static Future<Batch> halving(int size, java.util.function.Function<Integer, Future<Integer>> run) {
    long start = System.nanoTime();
    return run.apply(size).map(n -> new Batch(size, n, (System.nanoTime() - start) / 1_000_000)).recover(err -> {
      if (!Unavailable.isStatementTimeout(err) || size <= MIN_BATCH) {
        return Future.failedFuture(err);
      }
      int half = Math.max(MIN_BATCH, size / 2);
      OUTAGES.warn("expiry batch cancelled by the statement timeout (57014), retried with half the rows",
          size + " -> " + half + " rows");
      return halving(half, run);
    });
  }


  /** The pause after batch {@code b} (none when {@code expiry.pauseMillis} is 0; see {@link BatchPace#pauseAfter}). */
  private Future<Void> pause(Batch b) {
    long millis = BatchPace.pauseAfter(b.millis(), config.expiry().pauseMillis());
    return millis <= 0 ? Future.succeededFuture() : vertx.timer(millis).mapEmpty();
  }
}
