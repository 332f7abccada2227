package com.partneraccess.access;

import com.partneraccess.bus.Addresses;
import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * Typed client of {@link AccessRuleVerticle}: asks {@code rules.check} whether a partner may act in an account.
 * The check is one read bounded by the pool's acquire timeout (1 s by default); a check not answered within
 * {@link #TIMEOUT_MILLIS} (the database froze mid-query) is refused as {@code UNAVAILABLE} (503). (While the
 * database does not answer, {@code http.databaseWaitMillis} answers the waiting request sooner.)
 */
public final class AccessClient {
  static final long TIMEOUT_MILLIS = 3_000;
  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(TIMEOUT_MILLIS);
  private static final DeliveryOptions LOCAL_OPTIONS = new DeliveryOptions().setSendTimeout(TIMEOUT_MILLIS)
      .setCodecName(LoopLocalCodec.REQUEST);
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
    String address = LoopLocalChecks.forCurrentThread();
    // to the loop's own consumer the records travel as they are; to the shared address, as JSON
    Future<AccessGrant> answer = Addresses.RULES_CHECK.equals(address)
        ? vertx.eventBus().<JsonObject>request(address, request.toJson(), OPTIONS).map(msg -> AccessGrant.fromJson(msg.body()))
        : vertx.eventBus().<AccessGrant>request(address, request, LOCAL_OPTIONS).map(Message::body);
    return answer
        .recover(err -> Future.failedFuture(unanswered(err) ? Problem.UNAVAILABLE.exception(
            "The access check could not be completed in time; try again in a few seconds") : DomainException.fromReply(err)));
  }

  private static boolean unanswered(Throwable err) {
    return err instanceof ReplyException re
        && (re.failureType() == ReplyFailure.TIMEOUT || re.failureType() == ReplyFailure.NO_HANDLERS);
  }
}
