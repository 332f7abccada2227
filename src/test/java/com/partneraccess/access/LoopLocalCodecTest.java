package com.partneraccess.access;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop-local check's records travel over the bus as they are: no JSON built, none copied; the wire form, which a
 * local consumer never uses, reads back what it wrote.
 */
@DisplayName("Access checks: the loop-local codec")
class LoopLocalCodecTest {

  @Test
  @DisplayName("a request and a grant sent locally arrive as the same objects")
  void handedOverAsTheyAre() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      LoopLocalCodec.registerOnce(vertx.eventBus());
      LoopLocalCodec.registerOnce(vertx.eventBus()); // every instance calls it: the second call is a no-op
      CheckRequest sent = new CheckRequest(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
      AccessGrant grant = new AccessGrant(UUID.randomUUID(), Instant.parse("2026-12-02T10:15:30.123456Z"), "Acme");
      AtomicReference<Object> received = new AtomicReference<>();
      vertx.eventBus().<CheckRequest>localConsumer("test.loop", msg -> {
        received.set(msg.body());
        msg.reply(grant, new DeliveryOptions().setCodecName(LoopLocalCodec.GRANT));
      }).completion().await(5, TimeUnit.SECONDS);
      AccessGrant answer = vertx.eventBus().<AccessGrant>request("test.loop", sent,
          new DeliveryOptions().setCodecName(LoopLocalCodec.REQUEST)).await(5, TimeUnit.SECONDS).body();
      assertThat(received.get()).isSameAs(sent);
      assertThat(answer).isSameAs(grant);
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("the wire form reads back the same values, with and without an expiry")
  void wireRoundTrip() {
    CheckRequest request = new CheckRequest(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    assertThat(roundTrip(LoopLocalCodec.REQUEST_CODEC, request)).isEqualTo(request);
    for (AccessGrant grant : new AccessGrant[] {
        new AccessGrant(UUID.randomUUID(), Instant.parse("2026-12-02T10:15:30.123456789Z"), "Acme Plumbing — Zürich"),
        new AccessGrant(UUID.randomUUID(), null, "No Clock Ltd")}) {
      assertThat(roundTrip(LoopLocalCodec.GRANT_CODEC, grant)).isEqualTo(grant);
    }
    assertThat(CheckRequest.fromJson(new JsonObject(request.toJson().encode()))).isEqualTo(request);
  }

  private static <T> T roundTrip(MessageCodec<T, T> codec, T value) {
    Buffer wire = Buffer.buffer().appendString("header");
    codec.encodeToWire(wire, value);
    return codec.decodeFromWire("header".length(), wire);
  }
}
