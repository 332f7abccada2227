package com.partneraccess.banner;

import com.partneraccess.identity.TokenService;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPromise;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One open WebSocket: who it is for, a bounded outgoing queue (a client that stops reading is closed, never
 * buffered without limit, and never holds up the other sockets of its address) and its heartbeat. Lives on one
 * event loop; its events come from the {@link LiveHub} of that event loop, already encoded.
 */
final class LiveSocket {
  private static final Logger LOG = LoggerFactory.getLogger(LiveSocket.class);
  /** Bytes queued for a client before it counts as not reading. */
  static final int MAX_QUEUE_BYTES = 64 * 1024;
  static final short CLOSE_SIGNED_OUT = 4401;
  static final short CLOSE_ACCESS_ENDED = 4403;
  static final short CLOSE_NO_PONG = 4408;
  static final short CLOSE_TOO_SLOW = 1008;
  private static final Buffer PING = Buffer.buffer("hb");
  private static final Frame SIGNED_OUT = Frame.of(new JsonObject().put("type", "signed_out").encode());
  /** What a client sends is not read (one handler for every socket). */
  private static final Handler<String> IGNORED = text -> { };

  /**
   * An event encoded once for every socket it goes to: its text and that text's UTF-8 bytes, which each socket's
   * frame wraps (no copy, no per-socket encoding); for an event of a fan-out ({@link #shared}), also the whole
   * WebSocket frame, built once on first use, that {@link LiveWire} writes to each socket. Bigger than one frame:
   * written as a text message (in fragments).
   */
  static final class Frame {
    private final String text;
    private final byte[] utf8;
    private final boolean shared;
    private ByteBuf wire;

    private Frame(String text, boolean shared) {
      this.text = text;
      this.utf8 = text.getBytes(StandardCharsets.UTF_8);
      this.shared = shared;
    }

    /** A message for one socket (its hello): written through Vert.x. */
    static Frame of(String text) {
      return new Frame(text, false);
    }

    /** An event for many sockets (on one event loop: not thread-safe): written past Vert.x where it can be. */
    static Frame shared(String text) {
      return new Frame(text, true);
    }

    String text() {
      return text;
    }

    byte[] utf8() {
      return utf8;
    }

    /** The whole frame, to write as it is; null if it is not shared or bigger than one frame. */
    ByteBuf wire() {
      if (wire == null && shared && utf8.length <= HttpServerOptions.DEFAULT_MAX_WEBSOCKET_FRAME_SIZE) {
        wire = LiveWire.textFrame(utf8);
      }
      return wire;
    }
  }

  private final ServerWebSocket ws;
  /** {@link LiveWire}'s way to the socket's channel (a void promise naming it); null: always through Vert.x. */
  private final ChannelPromise wire;
  private final LiveHub hub;
  /** The one address it listens to ({@code live.account.<id>} / {@code live.partner.<id>}), or null: nothing. */
  private String address;
  /** A partner's account-scoped socket: the account whose access changes it receives; otherwise null. */
  private final String accessAccountId;
  private final String userId;
  /** R28: a partner user's role in its organisation as its token says ({@code admin}/{@code member}); else null. */
  private final String partnerRole;
  private final String tokenKey;
  private final Runnable onRelease;
  private boolean awaitingPong;
  private boolean closing;

  LiveSocket(ServerWebSocket ws, ChannelPromise wire, LiveHub hub, WebSocketHandler.Scope scope, String tokenKey,
             Runnable onRelease) {
    this.ws = ws;
    this.wire = wire;
    this.hub = hub;
    this.address = scope.address();
    this.accessAccountId = scope.accessAccountId() == null ? null : scope.accessAccountId().toString();
    this.userId = scope.userId() == null ? null : scope.userId().toString();
    this.partnerRole = scope.partnerRole();
    this.tokenKey = tokenKey;
    this.onRelease = onRelease;
  }

  String address() {
    return address;
  }

  /** The hub's copy of the same address: one string for all the address's sockets, not one each. */
  void shareAddress(String same) {
    if (same.equals(address)) {
      address = same;
    }
  }

  String accessAccountId() {
    return accessAccountId;
  }

  /** R27: whether a notification for {@code user} is this socket's. */
  boolean isUser(String user) {
    return userId != null && userId.equals(user);
  }

  /** The user the socket was opened by (null: none). */
  String userId() {
    return userId;
  }

  /**
   * R28: whether its token names a partner admin. Only a fallback: the hub reads the stored role per event, and uses
   * this when that read fails (an admin still sees every customer; a member nothing it may not).
   */
  boolean partnerAdminByToken() {
    return "admin".equals(partnerRole);
  }

  /** The revocation key of the token the socket was opened with. */
  String tokenKey() {
    return tokenKey;
  }

  /** R28: whether a revocation key ends this socket: its token's, or its user's (a removed teammate). */
  boolean endedBy(String key) {
    return tokenKey.equals(key)
        || userId != null && key.endsWith(userId) && key.equals(TokenService.userKey(UUID.fromString(userId)));
  }

  /** R26: the token was signed out: say so and close. */
  void signedOut() {
    end(SIGNED_OUT, CLOSE_SIGNED_OUT, "signed out");
  }

  /** R7/R19: access to the socket's account ended: {@code accessEnded} (encoded) then a close (4403). */
  void end(Frame accessEnded) {
    end(accessEnded, CLOSE_ACCESS_ENDED, "access ended");
  }

  private void end(Frame frame, short code, String reason) {
    send(frame);
    close(code, reason);
  }

  /** Registers it with its event loop's hub; says hello ({@code role}: the viewer's, for the page) once it listens. */
  void open(String role) {
    Future<Void> subscribed = hub.join(this);
    // the upgrade request's headers (the token among them) are kept by the WebSocket for as long as it is open and
    // read by nobody once it is: about a kilobyte per socket
    try {
      ws.headers().clear();
    } catch (UnsupportedOperationException readOnly) {
      // kept, then
    }
    ws.setWriteQueueMaxSize(MAX_QUEUE_BYTES);
    ws.pongHandler(b -> awaitingPong = false);
    ws.textMessageHandler(IGNORED);
    ws.exceptionHandler(err -> close(CLOSE_TOO_SLOW, "error"));
    ws.closeHandler(v -> release());
    // "hello" only once the address's consumer is registered: from then on nothing committed is missed.
    subscribed.onComplete(ar -> send(Frame.of(new JsonObject().put("type", "hello").put("role", role)
        .put("accountId", accessAccountId).encode())));
  }

  /**
   * Writes an encoded event, unless the client has stopped reading: then it is closed (bounded, never waited on).
   * A shared event goes straight to the channel as its one pre-built frame when it can ({@link LiveWire}); otherwise
   * the frame wraps the event's shared bytes (what {@code writeTextMessage} would do after encoding the text again
   * for this socket).
   */
  void send(Frame frame) {
    if (closing) {
      return;
    }
    ByteBuf whole = wire == null ? null : frame.wire();
    if (whole != null && LiveWire.write(wire, whole)) {
      return;
    }
    boolean full;
    try {
      full = ws.writeQueueFull();
    } catch (IllegalStateException closed) {
      return; // closed under us: its close handler releases it (and the rest of the fan-out goes on)
    }
    if (full) {
      LOG.info("closing a live socket whose client does not read ({} bytes queued)", MAX_QUEUE_BYTES);
      close(CLOSE_TOO_SLOW, "too slow: the client does not read");
      return;
    }
    if (frame.utf8().length <= HttpServerOptions.DEFAULT_MAX_WEBSOCKET_FRAME_SIZE) {
      ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, frame.utf8(), true));
    } else {
      ws.writeTextMessage(frame.text()); // in fragments of at most one frame
    }
  }

  /** Called by the handler's timer: a socket that did not answer the previous ping is closed. */
  void heartbeat() {
    if (closing) {
      return;
    }
    if (awaitingPong) {
      close(CLOSE_NO_PONG, "no pong");
      return;
    }
    awaitingPong = true;
    ws.writePing(PING);
  }

  private void close(short code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    release();
    ws.close(code, reason);
  }

  private void release() {
    if (hub.leave(this)) {
      onRelease.run(); // once: the user's slot (limits.socketsPerUser) is free again
    }
  }
}
