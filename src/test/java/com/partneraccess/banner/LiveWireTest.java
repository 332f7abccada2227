package com.partneraccess.banner;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LiveWire}'s pre-built frames, read back by Netty's own WebSocket decoder as a client would read them (the
 * short cut's writes to real sockets, and its use of Vert.x internals, are checked by LiveHubTest).
 */
@DisplayName("LiveWire: one event, encoded once as a whole WebSocket frame, shared by every socket's write")
class LiveWireTest {

  @ParameterizedTest(name = "{0} bytes of text")
  @ValueSource(ints = {0, 1, 125, 126, 127, 4_000, 65_535, 65_536, 70_000})
  @DisplayName("A frame of any length (each of the three length encodings and their edges) decodes to the same text, "
      + "final, unmasked")
  void decodesToTheSameText(int length) {
    String text = "é".repeat(length / 2) + "x".repeat(length % 2); // two-byte characters: UTF-8 length = length
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    assertThat(utf8).hasSize(length);
    ByteBuf frame = LiveWire.textFrame(utf8);
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
        .expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));
    try {
      // two sockets' writes of the same frame: each a duplicate, neither disturbs the other's (or the shared) indexes
      assertThat(client.writeInbound(frame.duplicate())).isTrue();
      assertThat(client.writeInbound(frame.duplicate())).isTrue();
      for (int i = 0; i < 2; i++) {
        TextWebSocketFrame got = client.readInbound();
        assertThat(got).as("frame %d", i).isNotNull();
        assertThat(got.isFinalFragment()).isTrue();
        assertThat(got.rsv()).as("no extension bits").isZero();
        assertThat(got.text()).isEqualTo(text);
        got.release();
      }
      assertThat((Object) client.readInbound()).isNull();
      assertThat(frame.readerIndex()).as("the shared frame is never consumed").isZero();
      frame.release(); // a write's release of its duplicate: does nothing to the shared frame
      assertThat(frame.refCnt()).isPositive();
    } finally {
      client.finishAndReleaseAll();
    }
  }

  @Test
  @DisplayName("Only an event for many sockets gets a pre-built frame; a socket's own message (its hello) does not")
  void onlySharedEventsArePreBuilt() {
    assertThat(LiveSocket.Frame.shared("{\"type\":\"banner\"}").wire()).isNotNull();
    assertThat(LiveSocket.Frame.of("{\"type\":\"hello\"}").wire()).isNull();
    assertThat(LiveSocket.Frame.shared("x".repeat(70_000)).wire()).as("bigger than one frame: fragments, by Vert.x")
        .isNull();
  }
}
