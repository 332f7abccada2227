package com.partneraccess.expiry;

import com.partneraccess.bus.Addresses;
import com.partneraccess.bus.DomainException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/** Typed client of {@link ExpiryVerticle}: asks {@code expiry.sweep} to run a sweep now. */
public final class ExpiryClient {
  /** A sweep of a large backlog takes a while: batches run one after another. */
  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(600_000);
  private final Vertx vertx;

  public ExpiryClient(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<ExpiryVerticle.Sweep> sweepNow() {
    return sweepNow(OPTIONS);
  }

  /** The same, waiting up to {@code timeoutMillis} for the reply (benchmarks of a large backlog on a busy machine). */
  public Future<ExpiryVerticle.Sweep> sweepNow(long timeoutMillis) {
    return sweepNow(new DeliveryOptions().setSendTimeout(timeoutMillis));
  }

  private Future<ExpiryVerticle.Sweep> sweepNow(DeliveryOptions options) {
    return vertx.eventBus().<JsonObject>request(Addresses.EXPIRY_SWEEP, new JsonObject(), options)
        .map(msg -> new ExpiryVerticle.Sweep(msg.body().getInteger("expired"), msg.body().getInteger("warned")))
        .recover(err -> Future.failedFuture(DomainException.fromReply(err)));
  }
}
