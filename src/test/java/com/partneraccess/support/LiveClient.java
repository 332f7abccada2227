package com.partneraccess.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test client of {@code /ws} (Vert.x's WebSocketClient): collects the JSON messages it receives. */
public final class LiveClient implements AutoCloseable {
  private final WebSocket ws;
  private final BlockingQueue<JsonObject> messages;
  private final CompletableFuture<Short> closed;

  private LiveClient(WebSocket ws, BlockingQueue<JsonObject> messages, CompletableFuture<Short> closed) {
    this.ws = ws;
    this.messages = messages;
    this.closed = closed;
  }

  public static WebSocketConnectOptions options(int port, String uri, Map<String, String> headers) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("localhost").setPort(port).setURI(uri)
        .setAllowOriginHeader(headers.containsKey("Origin")).setTimeout(5_000);
    headers.forEach(o::addHeader);
    return o;
  }

  /** Connects and waits for the server's "hello" (sent once the socket's subscription is live). */
  public static LiveClient connect(Vertx vertx, int port, String uri, Map<String, String> headers) {
    BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    CompletableFuture<Short> closed = new CompletableFuture<>();
    WebSocketClient client = vertx.createWebSocketClient();
    // Connect from an event-loop context, so the handlers are set in the task that completes the connection, before
    // that loop can read a frame. Set from this (test) thread after the future completed, they could come after the
    // server's hello had been read, and the hello was dropped: the rare "expected hello but got null".
    io.vertx.core.Promise<WebSocket> opened = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> client.connect(options(port, uri, headers)).map(s -> {
      s.textMessageHandler(t -> messages.add(new JsonObject(t)));
      s.closeHandler(c -> closed.complete(s.closeStatusCode()));
      return s;
    }).onComplete(opened));
    WebSocket ws = opened.future().await();
    LiveClient live = new LiveClient(ws, messages, closed);
    JsonObject hello = live.next(Duration.ofSeconds(5));
    if (hello == null || !"hello".equals(hello.getString("type"))) {
      throw new AssertionError("expected hello but got " + hello);
    }
    return live;
  }

  /** The HTTP status of a refused handshake, or 101 if the socket opened. */
  public static int handshakeStatus(Vertx vertx, int port, String uri, Map<String, String> headers) {
    try {
      WebSocket ws = vertx.createWebSocketClient().connect(options(port, uri, headers)).await();
      ws.close().await();
      return 101;
    } catch (UpgradeRejectedException e) {
      return e.getStatus();
    }
  }

  public JsonObject next(Duration timeout) {
    try {
      return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next message of {@code type}, skipping others; null after {@code timeout}. */
  public JsonObject next(String type, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      JsonObject m = next(Duration.ofNanos(left));
      if (m == null || type.equals(m.getString("type"))) {
        return m;
      }
    }
  }

  /** The close code the server sent, or null if the socket is still open after {@code timeout}. */
  public Short closeCode(Duration timeout) {
    try {
      return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public boolean isClosed() {
    return ws.isClosed();
  }

  @Override
  public void close() {
    if (!ws.isClosed()) {
      ws.close();
    }
  }
}
