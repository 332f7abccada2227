package com.partneraccess.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The client side of {@link WebSocketFanoutBenchmark}, in its own JVM (so the server's heap and open files are the
 * server's alone). Opens N sockets as the partner's portal ({@code live.partner.<id>}), then, for each round, takes
 * the time, has the owner disable (or enable) the partner's access through the API — a commit that raises a partner
 * banner — and records when each socket receives that banner. Talks to the benchmark over stdin/stdout, one line
 * each: prints {@code OPENED <n> <seconds>}, waits for {@code GO}, prints {@code ROUND <i> <kind> <the API request's time> <delays in µs,
 * comma-separated>} per round (missing arrivals as -1) and {@code DONE}, waits for {@code CLOSE}, closes every socket
 * and prints {@code CLOSED}. Arguments: port, partner token, owner token, partner id, sockets, rounds.
 */
public final class WebSocketFanoutClient {
  private static final int OPENING_AT_ONCE = 200;
  private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(60);

  private final List<WebSocket> sockets = new ArrayList<>();
  private volatile String awaited = "\u0000";
  private volatile AtomicLongArray arrivals = new AtomicLongArray(0);
  private volatile CountDownLatch pending = new CountDownLatch(0);

  private WebSocketFanoutClient() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String partnerToken = args[1];
    String ownerToken = args[2];
    String partnerId = args[3];
    int n = Integer.parseInt(args[4]);
    int rounds = Integer.parseInt(args[5]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
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
        long[] delays = c.round(http, port, ownerToken, partnerId, enable);
        // delays[0]: the API request's own time; then one per socket
        say("ROUND " + r + " " + (enable ? "access_enabled" : "access_disabled") + " " + delays[0] + " "
            + String.join(",", Arrays.stream(delays, 1, delays.length).mapToObj(Long::toString).toList()));
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
          ws.textMessageHandler(text -> received(index, text));
          return ws;
        }));
      }
      Future.all(connecting).await(120, TimeUnit.SECONDS);
      connecting.forEach(f -> sockets.add(f.result()));
      opened += batch;
    }
  }

  /** On a client event loop: the first banner of the awaited kind on socket {@code index} this round. */
  private void received(int index, String text) {
    long now = System.nanoTime();
    // no JSON parsing: the client shares the cores with the server
    if (text.contains(awaited) && text.contains("\"type\":\"banner\"") && arrivals.compareAndSet(index, 0, now)) {
      pending.countDown();
    }
  }

  /**
   * One commit: the API request's time, then each socket's delay from just before the request to the banner's arrival
   * (µs; -1: not within 60 s).
   */
  private long[] round(HttpClient http, int port, String ownerToken, String partnerId, boolean enable) throws Exception {
    int n = sockets.size();
    arrivals = new AtomicLongArray(n);
    pending = new CountDownLatch(n);
    awaited = "\"kind\":\"" + (enable ? "access_enabled" : "access_disabled") + "\"";
    HttpRequest put = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/account/partners/"
            + partnerId + "/access"))
        .header("Authorization", "Bearer " + ownerToken).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\":" + enable + "}")).build();
    long t0 = System.nanoTime();
    HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
    long answered = System.nanoTime();
    if (r.statusCode() != 200) {
      throw new IllegalStateException("the access change was refused: " + r.statusCode() + " " + r.body());
    }
    pending.await(ROUND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    long[] delays = new long[n + 1];
    delays[0] = (answered - t0) / 1_000;
    for (int i = 0; i < n; i++) {
      long at = arrivals.get(i);
      delays[i + 1] = at == 0 ? -1 : (at - t0) / 1_000;
    }
    return delays;
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
