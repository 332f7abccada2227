package com.partneraccess.access;

import com.partneraccess.bus.Addresses;
import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import com.partneraccess.config.AppConfig;
import com.partneraccess.db.Database;
import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.db.OutageLog;
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
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Evaluates every request made with a partner's account-scoped token. Consumes {@code rules.check}
 * ({@code {partnerId, userId, accountId}} → {@code {connectionId, expiresAt, businessName}} or a failure whose
 * code is a {@link Problem}). Each check is one indexed read; "last accessed" is coalesced in memory
 * and flushed in one batched UPDATE every {@code touch.flushMillis} (a crash loses at most that window); an
 * access within a few flush intervals of the stored expiry is written at once instead, so no reader ever sees
 * an expiry that a recent access has already pushed back.
 * Reads {@code policy.expiryDays} and {@code touch.flushMillis}. Deployed once per event loop: each instance also
 * consumes a local address of its own loop ({@link LoopLocalChecks}), where {@link AccessClient} sends the checks
 * of requests held by that loop as {@link LocalCheck}s, answered by completing the caller's promise, so a check,
 * its read and its answer never change threads; {@code rules.check} itself is spread over the instances
 * round-robin for any other caller. The instances of a process share one thread-safe {@link TouchBuffer}, so every
 * check counts every unflushed touch of the process; one flush runs at a time.
 */
public final class AccessRuleVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AccessRuleVerticle.class);
  private static final OutageLog OUTAGES = new OutageLog(LOG, 10_000);

  private final AppConfig config;
  private final AppClock clock;
  private final TouchBuffer touches;
  private Pool pool;
  private AccessCheckRepository repository;
  private Duration ttl;
  private long timerId = -1;
  private long expiryTimerId = -1;
  private Thread loopThread;
  private LoopLocalChecks.Loop loop;

  private AccessRuleVerticle(AppConfig config, AppClock clock, TouchBuffer touches) {
    this.config = config;
    this.clock = clock;
    this.touches = touches;
  }

  /** The verticles of one process: deploy as many as event loops; they share one buffer of touches. */
  public static java.util.function.Supplier<AccessRuleVerticle> forProcess(AppConfig config, AppClock clock) {
    TouchBuffer shared = new TouchBuffer();
    return () -> new AccessRuleVerticle(config, clock, shared);
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, DatabaseUrl.parse(config.db().url()), config.db());
    repository = new AccessCheckRepository(pool);
    ttl = Duration.ofDays(config.policy().expiryDays());
    timerId = vertx.setPeriodic(config.touchFlushMillis(), id -> flush());
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.RULES_CHECK, this::checkJson);
    LocalCheck.registerCodecOnce(vertx.eventBus());
    loopThread = Thread.currentThread();
    loop = LoopLocalChecks.register();
    // one timer per loop bounds every check sent on it (see LoopLocalChecks), instead of one timer per check
    expiryTimerId = vertx.setPeriodic(LoopLocalChecks.SCAN_MILLIS, id -> loop.expire(System.nanoTime()));
    MessageConsumer<LocalCheck> local = vertx.eventBus().localConsumer(loop.address(), msg -> {
      LocalCheck c = msg.body();
      check(c.request()).onComplete(c::answer);
    });
    return Future.all(consumer.completion(), local.completion());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timerId);
    vertx.cancelTimer(expiryTimerId);
    LoopLocalChecks.unregister(loopThread, loop);
    // a check sent here before the consumer went away is dropped by the bus: answer it now
    loop.failAll();
    return flush().eventually(() -> pool.close());
  }

  /** A check from any caller on {@code rules.check}: JSON in, JSON out, a refusal as its {@link Problem} code. */
  private void checkJson(Message<JsonObject> msg) {
    CheckRequest request;
    try {
      request = CheckRequest.fromJson(msg.body());
    } catch (RuntimeException e) {
      msg.fail(Problem.VALIDATION_FAILED.code, "partnerId, userId and accountId are required");
      return;
    }
    check(request).onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result().toJson());
      } else if (ar.cause() instanceof DomainException refusal) {
        msg.fail(refusal.problem().code, refusal.getMessage());
      } else {
        msg.fail(Problem.UNAVAILABLE.code, "The access check failed");
      }
    });
  }

  /** Answers one check: the grant, or a {@link DomainException} naming the refusal. */
  private Future<AccessGrant> check(CheckRequest request) {
    return repository.read(request.partnerId(), request.userId(), request.accountId()).transform(ar -> {
      if (ar.failed()) {
        OUTAGES.failure("access check could not read the connection", ar.cause());
        return Future.failedFuture(Problem.UNAVAILABLE.exception("The access check could not reach the database"));
      }
      RuleEvaluator.ConnectionView row = ar.result();
      Instant now = clock.now();
      Instant pending = row == null ? null : touches.pending(row.connectionId());
      RuleEvaluator.Decision d = RuleEvaluator.decide(row, now, pending, ttl);
      if (!d.allowed()) {
        return Future.failedFuture(new DomainException(d.refusal(), refusalDetail(d, row)));
      }
      // the expiry once this access is stored (R11), by the same rule the database applies
      Instant newExpiry = d.effectiveExpiry() == null ? null : row.inputs().accessedAt(now).expiry(ttl);
      AccessGrant grant = new AccessGrant(row.connectionId(), newExpiry, row.businessName());
      if (closeToExpiry(row.expiresAt(), now)) {
        // The stored expiry is about to pass: write this access now rather than with the next batch, so
        // every other reader (lists, requests, the sweep, other instances) sees the extended expiry at once.
        return repository.flush(Map.of(row.connectionId(), now))
            .onFailure(err -> touches.touch(row.connectionId(), now))
            .transform(ar2 -> Future.succeededFuture(grant));
      }
      touches.touch(row.connectionId(), now);
      return Future.succeededFuture(grant);
    });
  }

  /** True when the stored expiry falls within a few flush intervals: a buffered touch could be too late. */
  private boolean closeToExpiry(Instant storedExpiry, Instant now) {
    return storedExpiry != null && storedExpiry.toEpochMilli() - now.toEpochMilli() < 3 * config.touchFlushMillis() + 1_000;
  }

  private static String refusalDetail(RuleEvaluator.Decision d, RuleEvaluator.ConnectionView row) {
    return switch (d.refusal()) {
      case ACCESS_EXPIRED -> "Your access to " + row.businessName() + " expired"
          + (d.effectiveExpiry() == null ? "" : " on " + d.effectiveExpiry()) + "; request access again";
      case ACCESS_DISABLED -> row.businessName() + " has disabled your access; request access again";
      case ACCOUNT_CANCELLED -> row.businessName() + " cancelled its account";
      case NOT_CONNECTED -> "You are not connected to this account";
      case NOT_ASSIGNED -> row.businessName() + " is not assigned to you; ask an admin of your organisation to assign it";
      default -> d.refusal().title;
    };
  }

  /** Writes the coalesced touches in one statement; one flush per process at a time; failed batches are retried. */
  Future<Void> flush() {
    if (touches.size() == 0 || !touches.startFlush()) {
      return Future.succeededFuture();
    }
    Map<UUID, Instant> batch = touches.drain();
    return repository.flush(batch)
        .onSuccess(n -> touches.flushed(batch))
        .onFailure(err -> {
          OUTAGES.failure("flushing " + batch.size() + " access touches failed; will retry", err);
          touches.restore(batch);
        })
        .<Void>mapEmpty()
        .recover(err -> Future.succeededFuture())
        .eventually(() -> {
          touches.endFlush();
          return Future.succeededFuture();
        });
  }
}
