package com.partneraccess.access;

import io.vertx.core.AsyncResult;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * A check sent to the consumer on the asking request's own loop ({@link LoopLocalChecks}), with the promise its answer
 * completes. The consumer and the caller share the thread, so the answer needs no reply message: no reply address
 * to register and unregister, no timer per check (the loop's one timer bounds the wait), no JSON to build and copy,
 * and no second hop through the loop's task queue. Any other caller uses {@code rules.check}, request and reply in
 * JSON.
 */
record LocalCheck(CheckRequest request, Promise<AccessGrant> answer) {
  static final String CODEC = "partner-access.local-check";
  static final DeliveryOptions OPTIONS = new DeliveryOptions().setCodecName(CODEC);
  private static final Set<EventBus> REGISTERED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /** Completes the answer unless the loop's timer failed it first (a late answer is dropped). */
  void answer(AsyncResult<AccessGrant> result) {
    if (result.succeeded()) {
      answer.tryComplete(result.result());
    } else {
      answer.tryFail(result.cause());
    }
  }

  /** Registers the codec on this event bus once (every access-check instance of a process calls it). */
  static void registerCodecOnce(EventBus bus) {
    synchronized (REGISTERED) {
      if (REGISTERED.add(bus)) {
        bus.registerCodec(new Codec());
      }
    }
  }

  /**
   * Hands the check over as it is. It goes only to a local consumer of the same process (its promise cannot travel),
   * so the wire form is never asked for: asking is a programming error, said as such.
   */
  static final class Codec implements MessageCodec<LocalCheck, LocalCheck> {
    @Override
    public void encodeToWire(Buffer buffer, LocalCheck check) {
      throw new IllegalStateException("a loop-local access check carries its caller's promise and never leaves the process");
    }

    @Override
    public LocalCheck decodeFromWire(int pos, Buffer buffer) {
      throw new IllegalStateException("a loop-local access check is never sent over the wire");
    }

    @Override
    public LocalCheck transform(LocalCheck check) {
      return check;
    }

    @Override
    public String name() {
      return CODEC;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
