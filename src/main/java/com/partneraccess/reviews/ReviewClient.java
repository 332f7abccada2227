package com.partneraccess.reviews;

import com.partneraccess.bus.Addresses;
import com.partneraccess.bus.DomainException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/** Typed client of {@link ReviewVerticle}: asks {@code reviews.sweep} to run now (R30). */
public final class ReviewClient {
  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(600_000);
  private final Vertx vertx;

  public ReviewClient(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<ReviewService.Sweep> sweepNow() {
    return vertx.eventBus().<JsonObject>request(Addresses.REVIEWS_SWEEP, new JsonObject(), OPTIONS)
        .map(msg -> new ReviewService.Sweep(msg.body().getInteger("created"), msg.body().getInteger("lapsed")))
        .recover(err -> Future.failedFuture(DomainException.fromReply(err)));
  }
}
