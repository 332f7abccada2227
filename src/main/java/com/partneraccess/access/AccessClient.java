package com.partneraccess.access;

import com.partneraccess.bus.Addresses;
import com.partneraccess.bus.DomainException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** Typed client of {@link AccessRuleVerticle}: asks {@code rules.check} whether a partner may act in an account. */
public final class AccessClient {
  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(5_000);
  private final Vertx vertx;

  public AccessClient(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Succeeds with the grant, or fails with a {@link DomainException} naming the refusal (R7, R14, R19). */
  public Future<AccessGrant> check(UUID partnerId, UUID accountId) {
    JsonObject body = new JsonObject().put("partnerId", partnerId.toString()).put("accountId", accountId.toString());
    return vertx.eventBus().<JsonObject>request(Addresses.RULES_CHECK, body, OPTIONS)
        .map(msg -> AccessGrant.fromJson(msg.body()))
        .recover(err -> Future.failedFuture(DomainException.fromReply(err)));
  }
}
