package com.partneraccess.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The client side of {@link WebSocketFanoutBenchmark}, in its own JVM (so the server's heap and open files are the
 * server's alone), made cheap because it shares the cores with the server: one Vert.x instance with
 * {@code bench.clientLoops} event loops (1), a raw frame handler per socket that only looks for the awaited banner's
 * bytes in the frame (no String, no JSON), and one timestamp per arrival. Opens N sockets as the partner's portal
 * ({@code live.partner.<id>}), then, for each round, takes the time, has the owner disable (or enable) the partner's
 * access through the API — a commit that raises a partner banner — and records when each socket receives that banner;
 * the next round starts once every socket also has the commit's {@code access_changed}.
 * Talks to the benchmark over stdin/stdout, one line each: prints {@code OPENED <n> <seconds>}, waits for {@code GO},
 * prints {@code ROUND <i> <kind> <request start, epoch µs> <the API request's time, µs> <delays in µs from the request
 * start, comma-separated>} per round (missing arrivals as -1), then waits for {@code NEXT}; prints {@code DONE}, waits for {@code CLOSE}, closes every
 * socket and prints {@code CLOSED}. The benchmark turns the delays into delays from the commit (same machine clock).
 * Arguments: port, partner token, owner token, partner id, sockets, rounds.
 */
public final class WebSocketFanoutClient {
  private static final int OPENING_AT_ONCE = 200;
  private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(60);
  static final int LOOPS = Integer.getInteger("bench.clientLoops", 1);

  private static final byte[] BANNER = bytes("\"type\":\"banner\"");
  private static final byte[] ACCESS_CHANGED = bytes("\"type\":\"access_changed\"");

  private final List<WebSocket> sockets = new ArrayList<>();
  /** The round under way, swapped as a whole (a frame is matched against one round's state, never two). */
  private volatile Round round = new Round(0, true);

  /**
   * One round's state: the awaited banner's {@code "kind":"…"} and access change's {@code "access":"…"} (UTF-8), each
   * socket's banner arrival (nanoTime) and whether its {@code access_changed} came too (the commit's other event:
   * the next round starts once the server has written both, so it does not measure the tail of this one).
   */
  private static final class Round {
    final byte[] kind;
    final byte[] access;
    final AtomicLongArray arrivals;
    final AtomicIntegerArray changed;
    final CountDownLatch banners;
    final CountDownLatch changes;

    Round(int n, boolean enable) {
      kind = bytes("\"kind\":\"" + (enable ? "access_enabled" : "access_disabled") + "\"");
      access = bytes("\"access\":\"" + (enable ? "enabled" : "disabled") + "\"");
      arrivals = new AtomicLongArray(n);
      changed = new AtomicIntegerArray(n);
      banners = new CountDownLatch(n);
      changes = new CountDownLatch(n);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private WebSocketFanoutClient() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String partnerToken = args[1];
    String ownerToken = args[2];
    String partnerId = args[3];
    int n = Integer.parseInt(args[4]);
    int rounds = Integer.parseInt(args[5]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    WebSocketFanoutClient c = new WebSocketFanoutClient();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      long t0 = System.nanoTime();
      c.open(vertx, port, partnerToken, n);
      say("OPENED " + c.sockets.size() + " " + String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
      expect(in, "GO");
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      for (int r = 0; r < rounds; r++) {
        boolean enable = r % 2 == 1;
        c.round(r, http, port, ownerToken, partnerId, enable);
        expect(in, "NEXT"); // the benchmark has read the server's side of the round
      }
      say("DONE");
      expect(in, "CLOSE");
      Future.all(c.sockets.stream().map(WebSocket::close).toList()).await(60, TimeUnit.SECONDS);
      say("CLOSED");
    } finally {
      vertx.close().await();
    }
  }

  private void open(Vertx vertx, int port, String token, int n) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(n + 1)
        .setConnectTimeout(30_000));
    int opened = 0;
    while (opened < n) {
      int batch = Math.min(OPENING_AT_ONCE, n - opened);
      List<Future<WebSocket>> connecting = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        int index = opened + i;
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("localhost").setPort(port).setURI("/ws")
            .addHeader("Authorization", "Bearer " + token).setTimeout(30_000);
        connecting.add(client.connect(o).map(ws -> {
          ws.frameHandler(frame -> received(index, frame));
          return ws;
        }));
      }
      Future.all(connecting).await(120, TimeUnit.SECONDS);
      connecting.forEach(f -> sockets.add(f.result()));
      opened += batch;
    }
  }

  /** On a client event loop: the first banner of the awaited kind on socket {@code index} this round, or its change. */
  private void received(int index, WebSocketFrame frame) {
    long now = System.nanoTime();
    Round r = round;
    if (!frame.isText()) {
      return;
    }
    Buffer data = frame.binaryData();
    if (contains(data, BANNER)) {
      if (contains(data, r.kind) && r.arrivals.compareAndSet(index, 0, now)) {
        r.banners.countDown();
      }
    } else if (contains(data, ACCESS_CHANGED) && contains(data, r.access) && r.changed.compareAndSet(index, 0, 1)) {
      r.changes.countDown();
    }
  }

  /** Whether {@code data} holds {@code part} (bytes compared in place). */
  static boolean contains(Buffer data, byte[] part) {
    int last = data.length() - part.length;
    for (int i = 0; i <= last; i++) {
      if (data.getByte(i) == part[0]) {
        int j = 1;
        while (j < part.length && data.getByte(i + j) == part[j]) {
          j++;
        }
        if (j == part.length) {
          return true;
        }
      }
    }
    return false;
  }

  /** One commit: prints the round's line (see the class comment). */
  private void round(int r, HttpClient http, int port, String ownerToken, String partnerId, boolean enable)
      throws Exception {
    int n = sockets.size();
    String kind = enable ? "access_enabled" : "access_disabled";
    Round current = new Round(n, enable);
    round = current;
    HttpRequest put = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/account/partners/"
            + partnerId + "/access"))
        .header("Authorization", "Bearer " + ownerToken).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\":" + enable + "}")).build();
    Instant start = Instant.now();
    long t0 = System.nanoTime();
    HttpResponse<String> answer = http.send(put, HttpResponse.BodyHandlers.ofString());
    long answered = System.nanoTime();
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("the access change was refused: " + answer.statusCode() + " " + answer.body());
    }
    current.banners.await(ROUND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    current.changes.await(ROUND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    StringBuilder line = new StringBuilder(n * 7 + 64).append("ROUND ").append(r).append(' ').append(kind).append(' ')
        .append(start.getEpochSecond() * 1_000_000 + start.getNano() / 1_000).append(' ')
        .append((answered - t0) / 1_000).append(' ');
    for (int i = 0; i < n; i++) {
      long at = current.arrivals.get(i);
      line.append(i == 0 ? "" : ",").append(at == 0 ? -1 : (at - t0) / 1_000);
    }
    say(line.toString());
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static void expect(BufferedReader in, String word) throws Exception {
    String line = in.readLine();
    if (!word.equals(line)) {
      throw new IllegalStateException("expected " + word + " from the benchmark, got " + line);
    }
  }
}
