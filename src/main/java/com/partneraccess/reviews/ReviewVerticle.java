package com.partneraccess.reviews;

import com.partneraccess.bus.Addresses;
import com.partneraccess.bus.Problem;
import com.partneraccess.config.AppConfig;
import com.partneraccess.connections.ConnectionRepository;
import com.partneraccess.connections.ConnectionService;
import com.partneraccess.connections.CustomerListRepository;
import com.partneraccess.db.Database;
import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access reviews' timer (R30). Every {@code reviews.sweepSeconds} it runs {@link ReviewService#sweep}: creates
 * the due reviews ({@code reviews.batchSize} accounts per transaction; one open review per account) and lapses
 * those past {@code reviews.dueDays}. Consumes {@code reviews.sweep} (request/reply: run now, replies
 * {@code {created, lapsed}}; the test clock's {@code sweep} uses it). Reads {@code reviews.*}; the
 * owners' e-mails go through the outbox ({@code notifications/MailRelayVerticle} sends them). Deploy one per process; runs never overlap in a process, and the unique open review per
 * account keeps instances from creating two.
 */
public final class ReviewVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ReviewVerticle.class);
  private static final com.partneraccess.db.OutageLog OUTAGES = new com.partneraccess.db.OutageLog(LOG, 10_000);

  private final AppConfig config;
  private final AppClock clock;
  private Pool pool;
  private ReviewService service;
  private Future<ReviewService.Sweep> tail = Future.succeededFuture(new ReviewService.Sweep(0, 0));
  private long timerId = -1;

  public ReviewVerticle(AppConfig config, AppClock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, DatabaseUrl.parse(config.db().url()), config.db());
    ConnectionService connections = new ConnectionService(pool, clock, new ConnectionRepository(pool, clock),
        new CustomerListRepository(pool, config.policy().jobThreshold()));
    service = new ReviewService(pool, clock, connections, config.reviews());
    timerId = vertx.setPeriodic(Math.max(1, config.reviews().sweepSeconds()) * 1000L, id -> {
      if (tail.isComplete()) {
        queued().onFailure(err -> OUTAGES.failure("access review sweep failed; the next tick retries", err));
      }
    });
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.REVIEWS_SWEEP, this::requested);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timerId);
    return tail.transform(x -> pool.close());
  }

  private void requested(Message<JsonObject> msg) {
    queued()
        .onSuccess(s -> msg.reply(new JsonObject().put("created", s.created()).put("lapsed", s.lapsed())))
        .onFailure(err -> {
          LOG.error("requested access review sweep failed", err);
          msg.fail(Problem.UNAVAILABLE.code, "The access review sweep could not complete");
        });
  }

  private Future<ReviewService.Sweep> queued() {
    tail = tail.transform(x -> service.sweep().onSuccess(s -> {
      if (s.created() > 0 || s.lapsed() > 0) {
        LOG.info("access reviews: {} created, {} lapsed", s.created(), s.lapsed());
      }
    }));
    return tail;
  }
}
