package com.partneraccess.reviews;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;
import com.partneraccess.config.AppConfig;
import com.partneraccess.connections.ConnectionService;
import com.partneraccess.notifications.MailOutbox;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * THE home of access reviews (R30): the owner lists and opens its reviews and answers Keep or Disable for each
 * partner (Disable is {@link ConnectionService#setAccess}, the one disable operation); the timer
 * ({@link ReviewVerticle}) creates the due reviews (one open review per account) and, in the same transaction, the
 * owner's e-mail in the outbox ({@link MailOutbox}), and lapses reviews past their due window, applying {@code reviews.onNoAnswer} to the unanswered
 * partners (nothing by default; {@code disable} disables them through {@link ConnectionService#disableUnanswered}).
 */
public final class ReviewService {
  /** The answers a partner can get. */
  public static final Set<String> DECISIONS = Set.of("keep", "disable");
  /** The longest page of the review list (documented in openapi.yaml). */
  public static final int LIST_MAX = 100;

  private final AppClock clock;
  private final ReviewRepository repository;
  private final ConnectionService connections;
  private final AppConfig.Reviews config;

  public ReviewService(io.vertx.sqlclient.Pool pool, AppClock clock, ConnectionService connections,
                       AppConfig.Reviews config) {
    this.clock = clock;
    this.repository = new ReviewRepository(pool);
    this.connections = connections;
    this.config = config;
  }

  /** What one run of the timer did. */
  public record Sweep(int created, int lapsed) {}

  // ---- the owner ----------------------------------------------------------------------------------

  /** The account's reviews, newest first; at most {@value #LIST_MAX}. */
  public Future<List<AccessReview>> list(AccountActor actor, Integer limit) {
    Permissions.require(actor, Operation.VIEW_ACCESS_REVIEWS);
    return repository.list(actor.accountId(), Input.range(limit, "limit", 1, LIST_MAX, 20));
  }

  /** One review with its partners. */
  public Future<AccessReview> show(AccountActor actor, UUID reviewId) {
    Permissions.require(actor, Operation.VIEW_ACCESS_REVIEWS);
    return repository.show(actor.accountId(), reviewId, clock.nowUtc()).compose(r -> r == null
        ? Future.failedFuture(Problem.NOT_FOUND.exception("No such access review")) : Future.succeededFuture(r));
  }

  /** An answer and the partner's name, for the confirmation sentence. */
  public record Answer(String decision, String partnerName, boolean reviewClosed) {}

  /**
   * Keep or Disable one partner of an open review, once. Disable goes through the one disable operation of
   * {@link ConnectionService} first (with its activity row, banner and live cut-off); the answer is recorded after,
   * so a failed disable records nothing. When every partner is answered, the review closes.
   */
  public Future<Answer> decide(AccountActor actor, UUID reviewId, UUID partnerId, String decision) {
    Permissions.require(actor, Operation.DECIDE_ACCESS_REVIEW);
    String d = Input.oneOf(decision, "The decision", DECISIONS);
    if (d == null) {
      throw Problem.VALIDATION_FAILED.exception("The decision is required: keep or disable");
    }
    return show(actor, reviewId).compose(review -> {
      AccessReview.Item item = review.items().stream().filter(i -> i.partnerId().equals(partnerId)).findFirst()
          .orElseThrow(() -> Problem.NOT_FOUND.exception("This partner is not part of the review"));
      if (!review.open()) {
        throw Problem.CONFLICT.exception("This review is closed (" + review.status() + "); nothing was changed");
      }
      if (item.decision() != null) {
        throw Problem.CONFLICT.exception("You already answered for " + item.partnerName() + ": " + item.decision());
      }
      Future<?> change = "disable".equals(d)
          ? connections.setAccess(actor, new ConnectionService.SetAccess(partnerId, false))
          : Future.succeededFuture();
      return change
          .compose(x -> repository.decide(actor.accountId(), reviewId, partnerId, d, clock.nowUtc(), actor.userId()))
          .compose(done -> done ? repository.closeIfAnswered(reviewId, clock.nowUtc())
              : Future.failedFuture(Problem.CONFLICT.exception("This partner was answered meanwhile; reload the review")))
          .map(closed -> new Answer(d, item.partnerName(), closed));
    });
  }

  // ---- the timer ----------------------------------------------------------------------------------

  /** Creates the due reviews (batch after batch) with their owners' e-mails, then lapses overdue ones. */
  public Future<Sweep> sweep() {
    OffsetDateTime now = clock.nowUtc();
    int batch = Math.max(1, config.batchSize());
    return createAll(now, batch, 0).compose(created -> lapseAll(now, batch, 0).map(l -> new Sweep(created, l)));
  }

  /** One batch in one transaction: the due reviews and their owners' e-mails (in the outbox), then the next batch. */
  private Future<Integer> createAll(OffsetDateTime now, int batch, int done) {
    return repository.pool().withTransaction(tx -> repository.createDue(tx, now, config.everyDays(), batch,
                config.dueDays(), config.unusedDays())
            .compose(created -> mailAll(tx, created, now).map(v -> created.size())))
        .compose(n -> n < batch ? Future.succeededFuture(done + n) : createAll(now, batch, done + n));
  }

  /** In the review's transaction: one e-mail per created review to its owner, written to the outbox. */
  private Future<Void> mailAll(SqlClient tx, List<ReviewRepository.Created> created, OffsetDateTime now) {
    Future<List<MailOutbox.Outgoing>> chain = Future.succeededFuture(new ArrayList<>());
    for (ReviewRepository.Created c : created) {
      chain = chain.compose(mails -> repository.owner(tx, c.accountId())
          .compose(owner -> owner == null ? Future.succeededFuture(mails)
              : repository.show(tx, c.accountId(), c.reviewId(), now).map(review -> {
                mails.add(ReviewMail.outgoing(owner, review, config.unusedDays()));
                return mails;
              })));
    }
    return chain.compose(mails -> MailOutbox.enqueue(tx, mails, now)).mapEmpty();
  }

  /** Reviews past their due window: the no-answer rule applies to the unanswered partners, then the review lapses. */
  private Future<Integer> lapseAll(OffsetDateTime now, int batch, int done) {
    return repository.dueToLapse(now, batch).compose(due -> {
      Future<Void> chain = Future.succeededFuture();
      for (ReviewRepository.Created r : due) {
        chain = chain.compose(v -> lapse(r, now));
      }
      return chain.compose(v -> due.size() < batch ? Future.succeededFuture(done + due.size())
          : lapseAll(now, batch, done + due.size()));
    });
  }

  private Future<Void> lapse(ReviewRepository.Created review, OffsetDateTime now) {
    if (!"disable".equals(config.onNoAnswer())) {
      return repository.lapse(review, now, null);
    }
    return repository.unanswered(review.reviewId()).compose(partners -> {
      Future<Void> chain = Future.succeededFuture();
      for (UUID partnerId : partners) {
        chain = chain.compose(v -> connections.disableUnanswered(review.accountId(), partnerId)
            .<Void>mapEmpty()
            .recover(err -> err instanceof DomainException ? Future.succeededFuture() : Future.failedFuture(err)));
      }
      return chain.compose(v -> repository.lapse(review, now, "disable"));
    });
  }
}
