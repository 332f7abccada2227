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
  private final ScheduledExecutorService dribbler = Executors.newScheduledThreadPool(2);
  private final List<Socket> sockets = new ArrayList<>();

  /** One verticle, three requests at a time, a 1 s header timeout and a 2 s idle timeout. */
  private static synchronized TestApp limited() {
    if (limited == null) {
      limited = TestApp.start(new JsonObject().put("http", new JsonObject().put("instances", 1).put("maxInFlight", 3)
          .put("headerTimeoutMillis", 1_000).put("idleTimeoutSeconds", 2).put("requestTimeoutMillis", 10_000)));
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
  @DisplayName("A request that does not finish within http.requestTimeoutMillis is answered 503 with Retry-After")
  void requestTimeout() throws IOException {
    synchronized (SlowClientsTest.class) {
      if (timed == null) {
        timed = TestApp.start(new JsonObject().put("http", new JsonObject().put("requestTimeoutMillis", 1_000)));
      }
    }
    Socket s = open(timed);
    s.getOutputStream().write(("POST /api/v1/auth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
    long start = System.nanoTime();
    s.setSoTimeout(5_000);
    String reply = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
    assertThat(reply).isEqualTo("HTTP/1.1 503");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
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
