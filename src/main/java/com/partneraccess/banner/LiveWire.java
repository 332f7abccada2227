package com.partneraccess.banner;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fan-out's short cut past Vert.x's WebSocket write path, and the ONLY place the live sockets touch Vert.x
 * internals ({@code io.vertx.core.net.impl.ConnectionBase}, to reach a connection's Netty channel: Vert.x 5.0.10 has
 * no public way to it; {@link LiveWireTest} fails if an upgrade moves it).
 * <p>Why: an event goes to thousands of sockets. Through {@code ServerWebSocket.writeFrame} each socket costs a
 * synchronized frame write, a promise and its listener, a hop through the connection's multi-producer message queue,
 * the frame encoder's new buffer and a copy of the payload into it, and a copy from heap to direct memory: about
 * 25 µs per socket at 10,000 (JFR, issue 10). Here the event is encoded ONCE per event loop into one complete
 * WebSocket frame (header and payload, unmasked as a server's frames are, RFC 6455 §5.2) in direct memory, and each
 * socket's write is a duplicate of that buffer (a view: no copy, no encoding) written with a void promise: what is
 * left per socket is the pipeline's pass-through and the {@code write(2)} itself.
 * <p>Order and back-pressure stay Vert.x's: the frame enters the channel at its tail, so it passes every handler in
 * the order Vert.x's own writes do (the chunked writer, the WebSocket encoder, which leaves a ready buffer alone, and
 * the idle-state handler, which still sees the write), after anything Vert.x wrote before it. Vert.x holds writes back
 * in its own queue only while the channel is not writable (and drains that queue as soon as it is, on the same event
 * loop), so a socket whose channel is not writable, or that is not on this event loop, is written the usual way
 * ({@link #write} says no): its frame then queues behind the others and a client that stopped reading is closed once
 * Vert.x's queue is full, as before.
 */
final class LiveWire {
  /** Writes taken by the short cut, and writes of shared frames that went through Vert.x instead (tests, diagnostics). */
  static final LongAdder DIRECT = new LongAdder();
  static final LongAdder VIA_VERTX = new LongAdder();

  private LiveWire() {}

  /**
   * A void promise on the Netty channel under {@code request}'s HTTP/1.1 connection (the same channel carries the
   * WebSocket once upgraded), which also names the channel; null if that connection is not one Vert.x 5.0's internals
   * expose (then every write goes through Vert.x). Call it before the upgrade, on the request's event loop.
   */
  static ChannelPromise writerOf(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    if (!(connection instanceof ConnectionBase base)) {
      return null;
    }
    Channel channel = base.channel();
    // not fireException: a write to a socket closing meanwhile fails quietly (its close handler releases it)
    return channel == null ? null : new VoidChannelPromise(channel, false);
  }

  /**
   * One final text frame holding {@code utf8}, header and payload in one direct buffer shared by every write of it
   * (never released: each write takes a duplicate whose release does nothing; the GC frees the memory).
   */
  static ByteBuf textFrame(byte[] utf8) {
    int n = utf8.length;
    int header = n <= 125 ? 2 : n <= 0xFFFF ? 4 : 10;
    ByteBuffer direct = ByteBuffer.allocateDirect(header + n);
    direct.put((byte) 0x81); // FIN, text; no extension bits: the server negotiates no compression
    if (n <= 125) {
      direct.put((byte) n);
    } else if (n <= 0xFFFF) {
      direct.put((byte) 126).putShort((short) n);
    } else {
      direct.put((byte) 127).putLong(n);
    }
    direct.put(utf8).flip();
    return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct));
  }

  /**
   * Writes (and flushes) {@code frame} on {@code writer}'s channel if it can go past Vert.x's queue: the channel is
   * writable and this is its event loop. False: nothing was written, write it through Vert.x.
   */
  static boolean write(ChannelPromise writer, ByteBuf frame) {
    Channel channel = writer.channel();
    if (!channel.isWritable() || !channel.eventLoop().inEventLoop()) {
      VIA_VERTX.increment();
      return false;
    }
    channel.writeAndFlush(frame.duplicate(), writer);
    DIRECT.increment();
    return true;
  }
}
