package com.partneraccess.access;

import com.partneraccess.bus.Addresses;
import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * Typed client of {@link AccessRuleVerticle}: asks whether a partner may act in an account. On an event loop with a
 * consumer of its own the check goes to that consumer ({@link LoopLocalChecks}, {@link LocalCheck}); anywhere else
 * to {@code rules.check}, request and reply. The check is one read bounded by the pool's acquire timeout (1 s by
 * default); a check not answered within {@link #TIMEOUT_MILLIS} (the database froze mid-query) is refused as
 * {@code UNAVAILABLE} (503). (While the database does not answer, {@code http.databaseWaitMillis} answers the
 * waiting request sooner.)
 */
public final class AccessClient {
  static final long TIMEOUT_MILLIS = 3_000;
  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(TIMEOUT_MILLIS);
  private final Vertx vertx;

  public AccessClient(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Succeeds with the grant, or fails with a {@link DomainException} naming the refusal (R7, R14, R19; R28: a member
   * of the partner's team on a customer not assigned to it, or a removed teammate, gets NOT_ASSIGNED).
   */
  public Future<AccessGrant> check(UUID partnerId, UUID userId, UUID accountId) {
    CheckRequest request = new CheckRequest(partnerId, userId, accountId);
    LoopLocalChecks.Loop loop = LoopLocalChecks.forCurrentThread();
    if (loop == null) {
      return vertx.eventBus().<JsonObject>request(Addresses.RULES_CHECK, request.toJson(), OPTIONS)
          .map(msg -> AccessGrant.fromJson(msg.body()))
          .recover(err -> Future.failedFuture(unanswered(err) ? timedOut() : DomainException.fromReply(err)));
    }
    // bound to the caller's context, as a reply's future is: what follows the check runs in the request's context,
    // not the consumer's (the caller and the consumer share the thread, so this costs no hop)
    Promise<AccessGrant> answer = ((ContextInternal) vertx.getOrCreateContext()).promise();
    if (!loop.track(answer, System.nanoTime())) {
      return Future.failedFuture(Problem.UNAVAILABLE.exception(
          "Too many access checks are waiting for the database; try again in a few seconds"));
    }
    vertx.eventBus().send(loop.address(), new LocalCheck(request, answer), LocalCheck.OPTIONS);
    return answer.future();
  }

  /** The refusal of a check that was not answered in time. */
  static DomainException timedOut() {
    return Problem.UNAVAILABLE.exception("The access check could not be completed in time; try again in a few seconds");
  }

  private static boolean unanswered(Throwable err) {
    return err instanceof ReplyException re
        && (re.failureType() == ReplyFailure.TIMEOUT || re.failureType() == ReplyFailure.NO_HANDLERS);
  }
}
