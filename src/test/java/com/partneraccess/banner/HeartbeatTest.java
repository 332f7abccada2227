package com.partneraccess.banner;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Heartbeats: a socket that stops answering pings is closed, one that answers stays open")
class HeartbeatTest {
  static TestApp app;
  static ApiClient api;

  @BeforeAll
  static void start() {
    app = TestApp.start(new JsonObject().put("http", new JsonObject().put("wsPingMillis", 300)));
    api = app.api();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  @DisplayName("A client that never answers a ping is closed with 4408")
  void silentClientIsClosed() throws Exception {
    ApiClient.Customer c = api.signUpCustomer("Silent Socket Shop", null);
    try (Socket socket = new Socket("localhost", app.port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /ws HTTP/1.1\r\nHost: localhost:" + app.port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Authorization: Bearer " + c.token() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // read everything the server sends, never answering, until it closes
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      long deadline = System.currentTimeMillis() + 5_000;
      try {
        int n;
        while (System.currentTimeMillis() < deadline && (n = in.read(buf)) >= 0) {
          received.write(buf, 0, n);
          if (closeCode(received.toByteArray()) != -1) {
            break;
          }
        }
      } catch (SocketTimeoutException e) {
        // fall through to the assertions
      }
      byte[] bytes = received.toByteArray();
      assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 101");
      assertThat(closeCode(bytes)).as("close code").isEqualTo(4408);
    }
  }

  @Test
  @DisplayName("A client that answers pings keeps its socket")
  void answeringClientStays() throws Exception {
    ApiClient.Customer c = api.signUpCustomer("Chatty Socket Shop", null);
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .header("Authorization", "Bearer " + c.token())
        .buildAsync(URI.create("ws://localhost:" + app.port + "/ws"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onPing(WebSocket webSocket, java.nio.ByteBuffer message) {
            webSocket.sendPong(message);
            webSocket.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
          }
        }).get(5, TimeUnit.SECONDS);
    Thread.sleep(2_000); // several ping intervals
    assertThat(closed.isDone()).as("closed with " + closed.getNow(null)).isFalse();
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
  }

  /** The status code of the first close frame (opcode 8) after the handshake, or -1. */
  private static int closeCode(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int i = text.indexOf("\r\n\r\n");
    if (i < 0) {
      return -1;
    }
    i += 4;
    while (i + 1 < bytes.length) {
      int opcode = bytes[i] & 0x0F;
      int len = bytes[i + 1] & 0x7F;
      int header = 2;
      if (len == 126) {
        if (i + 3 >= bytes.length) {
          return -1;
        }
        len = ((bytes[i + 2] & 0xFF) << 8) | (bytes[i + 3] & 0xFF);
        header = 4;
      }
      if (opcode == 8 && len >= 2 && i + header + 1 < bytes.length) {
        return ((bytes[i + header] & 0xFF) << 8) | (bytes[i + header + 1] & 0xFF);
      }
      i += header + len;
    }
    return -1;
  }
}
