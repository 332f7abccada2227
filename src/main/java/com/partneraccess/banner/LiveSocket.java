package com.partneraccess.banner;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * One open WebSocket: its single event-bus consumer, a bounded outgoing queue (a client that stops reading
 * is closed, never buffered without limit) and its heartbeat. Lives on one event loop.
 */
final class LiveSocket {
  private static final Logger LOG = LoggerFactory.getLogger(LiveSocket.class);
  /** Bytes queued for a client before it counts as not reading. */
  static final int MAX_QUEUE_BYTES = 64 * 1024;
  static final short CLOSE_SIGNED_OUT = 4401;
  static final short CLOSE_ACCESS_ENDED = 4403;
  static final short CLOSE_NO_PONG = 4408;
  static final short CLOSE_TOO_SLOW = 1008;

  private final Vertx vertx;
  private final ServerWebSocket ws;
  private final WebSocketHandler.Scope scope;
  private final Set<LiveSocket> registry;
  private final String tokenKey;
  private final String userKey;
  private final Runnable onRelease;
  private MessageConsumer<JsonObject> consumer;
  private boolean awaitingPong;
  private boolean closing;

  LiveSocket(Vertx vertx, ServerWebSocket ws, WebSocketHandler.Scope scope, Set<LiveSocket> registry, String tokenKey,
             String userKey, Runnable onRelease) {
    this.userKey = userKey;
    this.onRelease = onRelease;
    this.vertx = vertx;
    this.ws = ws;
    this.scope = scope;
    this.registry = registry;
    this.tokenKey = tokenKey;
  }

  /** The revocation key of the token the socket was opened with. */
  String tokenKey() {
    return tokenKey;
  }

  /** R28: the revocation key of the socket's user (every token of a removed teammate). */
  String userKey() {
    return userKey;
  }

  /** R28: whether a revocation key ends this socket: its token's, or its user's (a removed teammate). */
  boolean endedBy(String key) {
    return tokenKey.equals(key) || userKey.equals(key);
  }

  /** R26: the token was signed out: say so and close. */
  void signedOut() {
    send(new JsonObject().put("type", "signed_out"));
    close(CLOSE_SIGNED_OUT, "signed out");
  }

  void open() {
    registry.add(this);
    ws.setWriteQueueMaxSize(MAX_QUEUE_BYTES);
    ws.pongHandler(b -> awaitingPong = false);
    ws.textMessageHandler(text -> { });
    ws.exceptionHandler(err -> close(CLOSE_TOO_SLOW, "error"));
    ws.closeHandler(v -> release());
    JsonObject hello = new JsonObject().put("type", "hello").put("role", scope.role())
        .put("accountId", scope.accessAccountId() == null ? null : scope.accessAccountId().toString());
    if (scope.address() == null) {
      send(hello);
      return;
    }
    consumer = vertx.eventBus().localConsumer(scope.address(), msg -> deliver(msg.body()));
    // "hello" only once the consumer is registered: from then on nothing committed is missed.
    consumer.completion().onComplete(ar -> send(hello));
  }

  private void deliver(JsonObject event) {
    if ("notification".equals(event.getString("type"))) {
      // R27: the address is shared by the account's (or partner's) users; a notification is for one of them
      if (scope.userId() != null && scope.userId().toString().equals(event.getString("userId"))) {
        send(event);
      }
      return;
    }
    if (!"access_changed".equals(event.getString("type"))) {
      send(event);
      return;
    }
    if (scope.accessAccountId() == null) {
      // the partner's portal pages: the Customers page refreshes its list and its counts per filter
      send(event);
      return;
    }
    if (!scope.accessAccountId().toString().equals(event.getString("accountId"))) {
      return;
    }
    boolean ended = event.getBoolean("disconnected", false) || !"enabled".equals(event.getString("access"));
    if (!ended) {
      send(event);
      return;
    }
    // R7/R19: the live cut-off; the next request with the account-scoped token is refused by the access check.
    send(new JsonObject().put("type", "access_ended").put("accountId", event.getString("accountId"))
        .put("partnerId", event.getString("partnerId"))
        .put("reason", event.getBoolean("disconnected", false) ? "disconnected" : event.getString("access")));
    close(CLOSE_ACCESS_ENDED, "access ended");
  }

  private void send(JsonObject event) {
    if (closing) {
      return;
    }
    if (ws.writeQueueFull()) {
      LOG.info("closing a live socket whose client does not read ({} bytes queued)", MAX_QUEUE_BYTES);
      close(CLOSE_TOO_SLOW, "too slow: the client does not read");
      return;
    }
    ws.writeTextMessage(event.encode());
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
    ws.writePing(Buffer.buffer("hb"));
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
    if (registry.remove(this)) {
      onRelease.run(); // once: the user's slot (http.socketsPerUser) is free again
    }
    if (consumer != null) {
      consumer.unregister();
      consumer = null;
    }
  }
}
