package com.partneraccess.http;

import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Item 5 of issue 8: slow clients hold no connection for long (header and idle timeouts), a verticle works on at
 * most {@code http.maxInFlight} requests and refuses more with 503 and Retry-After, and a request that does not
 * finish within {@code http.requestTimeoutMillis} is answered 503.
 */
@DisplayName("Slow clients and overload")
class SlowClientsTest {
  private static TestApp limited;
  private static TestApp timed;
  private static TestApp fewConnections;
  private final ScheduledExecutorService dribbler = Executors.newScheduledThreadPool(2);
  private final List<Socket> sockets = new ArrayList<>();

  /**
   * One verticle, three requests at a time, a 1 s header timeout and a 2 s idle timeout; shed answers held 1 s plus up
   * to 0.5 s (within the idle timeout).
   */
  private static synchronized TestApp limited() {
    if (limited == null) {
      limited = TestApp.start(new JsonObject().put("http", new JsonObject().put("instances", 1).put("maxInFlight", 3)
          .put("headerTimeoutMillis", 1_000).put("idleTimeoutSeconds", 2).put("requestTimeoutMillis", 10_000)
          .put("shedSpreadMillis", 500)));
    }
    return limited;
  }

  @AfterEach
  void closeSockets() throws IOException {
    dribbler.shutdownNow();
    for (Socket s : sockets) {
      s.close();
    }
  }

  @AfterAll
  static void stop() {
    if (limited != null) {
      limited.close();
    }
    if (timed != null) {
      timed.close();
    }
    if (fewConnections != null) {
      fewConnections.close();
    }
  }

  @Test
  @DisplayName("A connection that sends nothing is closed by the server")
  void silentConnectionIsClosed() throws IOException {
    Socket s = open(limited());
    assertClosedWithin(s, Duration.ofSeconds(4));
  }

  @Test
  @DisplayName("A connection that sends its request head a byte at a time (slowloris) is closed within the header timeout")
  void slowHeadersAreClosed() throws IOException {
    Socket s = open(limited());
    byte[] head = "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
    dribble(s, head, 300); // a byte every 300 ms keeps the idle timeout (2 s) from ever firing
    assertClosedWithin(s, Duration.ofSeconds(4));
  }

  @Test
  @DisplayName("A keep-alive connection that answers one request and then dribbles the next head is closed too")
  void slowSecondRequestIsClosed() throws IOException {
    Socket s = open(limited());
    s.getOutputStream().write("GET /openapi.yaml HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    byte[] head = "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
    dribble(s, head, 300);
    assertClosedWithin(s, Duration.ofSeconds(6));
  }

  @Test
  @DisplayName("Beyond http.maxInFlight requests at once, a request is refused at once with 503 and Retry-After; later ones are served")
  void inFlightLimit() throws IOException {
    TestApp app = limited();
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Socket s = open(app);
      s.getOutputStream().write(("POST /api/v1/auth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      dribble(s, " ".repeat(900).getBytes(StandardCharsets.US_ASCII), 300); // a body that takes minutes
      slow.add(s);
    }
    await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
      Reply r = app.api().send("GET", "/openapi.yaml", Map.of("Accept", "application/json"), null);
      assertThat(r.status()).as(r.body()).isEqualTo(503);
      assertThat(r.header("Retry-After")).isNotNull();
      assertThat(r.reason()).isEqualTo("UNAVAILABLE");
    });
    dribbler.shutdownNow();
    for (Socket s : slow) {
      s.close();
    }
    await().atMost(Duration.ofSeconds(8)).untilAsserted(() ->
        assertThat(app.api().send("GET", "/openapi.yaml", Map.of(), null).status()).isEqualTo(200));
  }

  @Test
  @DisplayName("A request over http.maxInFlight is shed before routing (503, Retry-After, no sign-in needed) on a connection that"
      + " stays open; below the limit requests are admitted and served, and /health is answered throughout")
  void shedBeforeRoutingAdmittedServed() throws IOException {
    TestApp app = limited();
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      slow.add(slowBody(app));
    }
    Socket client = open(app);
    await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
      // no token: an admitted request would get 401; a shed one never reaches authentication
      RawReply shed = exchange(client, "GET /api/v1/account/jobs?limit=1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(shed.status()).as(shed.body()).isEqualTo(503);
      assertThat(shed.headers()).containsEntry("retry-after", "2").containsEntry("content-type", "application/problem+json")
          .doesNotContainKey("connection");
      assertThat(new JsonObject(shed.body()).getString("reason")).isEqualTo("UNAVAILABLE");
    });
    assertThat(app.api().send("GET", "/health", Map.of(), null).status()).isEqualTo(200);
    slow.remove(0).close(); // one slot frees up: the next request on the same connection is admitted
    await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
      RawReply admitted = exchange(client, "GET /api/v1/account/jobs?limit=1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(admitted.status()).as(admitted.body()).isEqualTo(401);
    });
    RawReply served = exchange(client, "GET /openapi.yaml HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertThat(served.status()).isEqualTo(200);
  }

  @Test
  @DisplayName("A GET shed over http.maxInFlight gets its 503 only after http.shedHoldMillis, so a client retrying at once"
      + " cannot flood the event loop; the connection stays usable and is served once a slot is free")
  void shedAnswerIsHeld() throws IOException {
    TestApp app = limited();
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      slow.add(slowBody(app));
    }
    Socket client = open(app);
    long hold = app.config.http().shedHoldMillis();
    assertThat(hold).as("the documented default").isEqualTo(1_000);
    await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
      long start = System.nanoTime();
      RawReply shed = exchange(client, "GET /api/v1/account/jobs?limit=1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(shed.status()).as(shed.body()).isEqualTo(503);
      assertThat(shed.headers()).containsKey("retry-after");
      // held, not answered at once: the client waited (at least) the hold before it could ask again
      assertThat(tookMillis).isGreaterThanOrEqualTo(hold);
    });
    slow.remove(0).close();
    await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
      RawReply admitted = exchange(client, "GET /api/v1/account/jobs?limit=1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(admitted.status()).as(admitted.body()).isEqualTo(401);
    });
  }

  @Test
  @DisplayName("Shed GETs that arrive together get their held 503s spread over http.shedSpreadMillis, each after at least"
      + " http.shedHoldMillis, so clients that retry at once come back spread out instead of as one herd")
  void heldAnswersAreSpread() throws Exception {
    TestApp app = limited();
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      slow.add(slowBody(app));
    }
    Socket probe = open(app);
    await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> // all three slots are taken
        assertThat(exchange(probe, "GET /api/v1/account/jobs?limit=1 HTTP/1.1\r\nHost: localhost\r\n\r\n").status())
            .isEqualTo(503));
    int herd = 40;
    List<Socket> clients = new ArrayList<>();
    for (int i = 0; i < herd; i++) {
      clients.add(open(app));
    }
    var readers = Executors.newFixedThreadPool(herd);
    try {
      long sent = System.nanoTime();
      for (Socket c : clients) {
        c.getOutputStream().write("GET /api/v1/account/jobs?limit=1 HTTP/1.1\r\nHost: localhost\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
      }
      List<java.util.concurrent.Future<Long>> answered = new ArrayList<>();
      for (Socket c : clients) {
        answered.add(readers.submit(() -> {
          c.setSoTimeout(10_000);
          int first = c.getInputStream().read(); // the answer's first byte: when it was sent
          long at = System.nanoTime();
          assertThat(first).isEqualTo('H');
          return at;
        }));
      }
      List<Long> millis = new ArrayList<>();
      for (var f : answered) {
        millis.add((f.get(15, TimeUnit.SECONDS) - sent) / 1_000_000);
      }
      long hold = app.config.http().shedHoldMillis();
      assertThat(millis).as("held at least http.shedHoldMillis").allSatisfy(m -> assertThat(m).isGreaterThanOrEqualTo(hold));
      long spread = java.util.Collections.max(millis) - java.util.Collections.min(millis);
      // all at one tick of the 100 ms check before; spread evenly over 500 ms, 40 answers span nearly all of it
      assertThat(spread).as("503s sent over %d ms: %s", spread, millis).isGreaterThanOrEqualTo(300);
    } finally {
      readers.shutdownNow();
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  @DisplayName("Beyond http.maxConnections, a new connection's first request gets 503 with Retry-After and the connection closes;"
      + " the connections within the limit are served")
  void connectionLimit() throws IOException {
    synchronized (SlowClientsTest.class) {
      if (fewConnections == null) {
        fewConnections = TestApp.start(new JsonObject().put("http", new JsonObject().put("instances", 1)
            .put("maxConnections", 2)));
      }
    }
    TestApp app = fewConnections;
    Socket first = open(app);
    Socket second = open(app);
    assertThat(exchange(first, "GET /openapi.yaml HTTP/1.1\r\nHost: localhost\r\n\r\n").status()).isEqualTo(200);
    assertThat(exchange(second, "GET /openapi.yaml HTTP/1.1\r\nHost: localhost\r\n\r\n").status()).isEqualTo(200);
    Socket third = open(app);
    RawReply refused = exchange(third, "GET /openapi.yaml HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n\r\n");
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.headers()).containsEntry("retry-after", "2").containsEntry("connection", "close");
    assertThat(refused.body()).contains("The service is busy; try again in a moment");
    assertClosedWithin(third, Duration.ofSeconds(4));
    assertThat(exchange(first, "GET /openapi.yaml HTTP/1.1\r\nHost: localhost\r\n\r\n").status()).isEqualTo(200);
    first.close();
    await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> { // a slot is free once the server has seen the close
      try (Socket next = new Socket("localhost", app.port)) {
        assertThat(exchange(next, "GET /openapi.yaml HTTP/1.1\r\nHost: localhost\r\n\r\n").status()).isEqualTo(200);
      }
    });
  }

  /** A 1 s request timeout, and the http.serverTiming diagnostic on. */
  private static synchronized TestApp timed() {
    if (timed == null) {
      timed = TestApp.start(new JsonObject().put("http", new JsonObject().put("requestTimeoutMillis", 1_000)
          .put("serverTiming", true)));
    }
    return timed;
  }

  @Test
  @DisplayName("With http.serverTiming on, an admitted request's answer carries the server's own time, its event loop's"
      + " lateness and the hand-over instant (Server-Timing); off by default, no such header")
  void serverTimingDiagnostic() {
    Reply on = timed().api().send("GET", "/openapi.yaml", Map.of(), null);
    assertThat(on.status()).isEqualTo(200);
    assertThat(on.header("Server-Timing")).matches("app;dur=\\d+\\.\\d{3}, lag;dur=\\d+\\.\\d{3}, t0;desc=-?\\d+");
    Reply off = limited().api().send("GET", "/openapi.yaml", Map.of(), null);
    assertThat(off.status()).isEqualTo(200);
    assertThat(off.header("Server-Timing")).isNull();
  }

  @Test
  @DisplayName("A request that does not finish within http.requestTimeoutMillis is answered 503 with Retry-After")
  void requestTimeout() throws IOException {
    Socket s = open(timed());
    s.getOutputStream().write(("POST /api/v1/auth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
    long start = System.nanoTime();
    s.setSoTimeout(5_000);
    String reply = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
    assertThat(reply).isEqualTo("HTTP/1.1 503");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  /** A request whose body never finishes arriving: it holds an in-flight slot until its socket closes. */
  private Socket slowBody(TestApp app) throws IOException {
    Socket s = open(app);
    s.getOutputStream().write(("POST /api/v1/auth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
    dribble(s, " ".repeat(900).getBytes(StandardCharsets.US_ASCII), 300);
    return s;
  }

  record RawReply(int status, Map<String, String> headers, String body) {}

  /** Sends one request on the socket and reads one response (Content-Length framed), headers lower-cased. */
  private static RawReply exchange(Socket s, String request) throws IOException {
    s.setSoTimeout(10_000);
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b == -1) {
        throw new IOException("closed before a response head: " + head);
      }
      head.append((char) b);
    }
    String[] lines = head.toString().split("\r\n");
    Map<String, String> headers = new java.util.HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    return new RawReply(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
  }

  private Socket open(TestApp app) throws IOException {
    Socket s = new Socket("localhost", app.port);
    sockets.add(s);
    return s;
  }

  private void dribble(Socket s, byte[] bytes, long everyMillis) {
    int[] next = {0};
    dribbler.scheduleAtFixedRate(() -> {
      if (next[0] >= bytes.length || s.isClosed()) {
        return;
      }
      try {
        OutputStream out = s.getOutputStream();
        out.write(bytes[next[0]++]);
        out.flush();
      } catch (IOException e) {
        // the server closed it: what the test waits for
      }
    }, 0, everyMillis, TimeUnit.MILLISECONDS);
  }

  /** Reads until the server closes the connection (end of stream or reset), failing after {@code limit}. */
  private static void assertClosedWithin(Socket s, Duration limit) throws IOException {
    s.setSoTimeout((int) limit.toMillis());
    InputStream in = s.getInputStream();
    long start = System.nanoTime();
    try {
      while (in.read() != -1) {
        // skip any response to an earlier request
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open for " + limit);
    } catch (SocketException e) {
      // reset by the server: closed
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(limit);
  }
}
