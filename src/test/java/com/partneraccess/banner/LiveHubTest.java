package com.partneraccess.banner;

import com.partneraccess.bus.Addresses;
import com.partneraccess.rules.RuleFixtures;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.LiveClient;
import com.partneraccess.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayName("WebSocket fan-out: one event-bus consumer per address per event loop, whatever the number of sockets")
class LiveHubTest {
  static final int SOCKETS = 200;
  static TestApp app;
  static ApiClient api;
  static Vertx client;

  @BeforeAll
  static void start() {
    // the per-user cap (10 by default, LiveSocketTest) would stop one owner at 10 sockets
    app = TestApp.start(new JsonObject().put("limits", new JsonObject().put("socketsPerUser", 1_000)));
    api = app.api();
    client = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    client.close().await();
    app.close();
  }

  static LiveClient socket(String token) {
    return LiveClient.connect(client, app.port, "/ws", Map.of("Authorization", "Bearer " + token));
  }

  static int consumers(String address) {
    return WebSocketHandler.liveConsumers(app.vertx, address);
  }

  /** The next banner of {@code kind} on {@code socket}, skipping other messages; fails after 5 s. */
  static JsonObject nextBanner(LiveClient socket, String kind) {
    while (true) {
      JsonObject m = socket.next("banner", Duration.ofSeconds(5));
      assertThat(m).as("a %s banner within 5 s", kind).isNotNull();
      if (kind.equals(m.getJsonObject("banner").getString("kind"))) {
        return m.getJsonObject("banner");
      }
    }
  }

  static String requestAccess(PartnerUser partner, Customer customer) {
    ApiClient.Reply r = ApiClient.expect(api.post("/api/v1/partner/customers/" + customer.accountId()
        + "/access-requests", partner.token(), new JsonObject().put("reason", "To close the month")), 201);
    return r.json().getString("requestId");
  }

  @Test
  @DisplayName("R17: 200 sockets of one account hold at most one consumer per event loop, each socket receives each "
      + "banner exactly once, and closing them all leaves no consumer")
  void oneConsumerPerAddressPerEventLoop() {
    // R17
    PartnerUser partner = api.signUpPartner("Fan-out Partners");
    Customer customer = api.signUpCustomer("Fan-out Bakery", null);
    api.connectByInvite(partner, customer);
    ApiClient.expect(api.setAccess(customer, partner.partnerId(), false), 200);
    String address = Addresses.liveAccount(UUID.fromString(customer.accountId()));
    List<LiveClient> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < SOCKETS; i++) {
        sockets.add(socket(customer.token()));
      }
      assertThat(consumers(address)).as("consumers of %s for %d sockets", address, SOCKETS)
          .isBetween(1, app.config.http().instances());

      String first = requestAccess(partner, customer);
      for (LiveClient s : sockets) {
        assertThat(nextBanner(s, "access_requested").getString("requestId")).isEqualTo(first);
      }
      // a second banner: each socket's next one is the new request, not the first one again (no socket gets it twice)
      ApiClient.expect(api.post("/api/v1/account/access-requests/" + first + "/deny", customer.token(), null), 200);
      String second = requestAccess(partner, customer);
      for (LiveClient s : sockets) {
        assertThat(nextBanner(s, "access_requested").getString("requestId")).isEqualTo(second);
      }

      sockets.subList(0, SOCKETS / 2).forEach(LiveClient::close);
      sockets.subList(0, SOCKETS / 2).clear();
      await().atMost(Duration.ofSeconds(10)).until(() -> WebSocketHandler.openSockets(app.vertx) == SOCKETS / 2);
      assertThat(consumers(address)).as("half the sockets still open").isBetween(1, app.config.http().instances());
    } finally {
      sockets.forEach(LiveClient::close);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> consumers(address) == 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> WebSocketHandler.openSockets(app.vertx) == 0);
  }

  @Test
  @DisplayName("R17/R26: an event for more sockets than an event loop writes in one turn reaches every socket exactly "
      + "once, the events of one address arrive at each socket in the order they were published, and a sign-out closes "
      + "every socket of its token")
  void bigAudienceIsWrittenInTurnsInOrder() {
    // R17 R26
    int writesPerTurn = LiveHub.writesPerTurn;
    LiveHub.writesPerTurn = 7; // 60 sockets on at most two event loops: several turns per event on each
    Customer customer = api.signUpCustomer("Turns Bakery", null);
    String address = Addresses.liveAccount(UUID.fromString(customer.accountId()));
    List<LiveClient> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 60; i++) {
        sockets.add(socket(customer.token()));
      }
      long direct = LiveWire.DIRECT.sum();
      long viaVertx = LiveWire.VIA_VERTX.sum();
      for (int seq = 0; seq < 5; seq++) {
        app.vertx.eventBus().publish(address, new JsonObject().put("type", "banner").put("seq", seq)
            .put("banner", new JsonObject().put("kind", "turns").put("accountId", customer.accountId())));
      }
      for (LiveClient s : sockets) {
        for (int seq = 0; seq < 5; seq++) {
          JsonObject got = s.next("banner", Duration.ofSeconds(5));
          assertThat(got).as("event %d on every socket", seq).isNotNull();
          assertThat(got.getInteger("seq")).isEqualTo(seq);
        }
        assertThat(s.next("banner", Duration.ofMillis(50))).as("no event twice").isNull();
      }
      // each event was written to each socket as the one shared frame, straight to its channel (LiveWire: the Vert.x
      // internals it needs are still there), none through Vert.x's per-socket path
      assertThat(LiveWire.DIRECT.sum() - direct).as("writes past Vert.x").isGreaterThanOrEqualTo(5L * sockets.size());
      assertThat(LiveWire.VIA_VERTX.sum() - viaVertx).as("shared events written through Vert.x").isZero();
      // R26: the sign-out reaches every socket of the token, in turns too
      ApiClient.expect(api.post("/api/v1/auth/signout", customer.token(), null), 200);
      for (LiveClient s : sockets) {
        assertThat(s.closeCode(Duration.ofSeconds(5))).as("every socket of the signed-out token closes")
            .isEqualTo((short) 4401);
      }
    } finally {
      LiveHub.writesPerTurn = writesPerTurn;
      sockets.forEach(LiveClient::close);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> consumers(address) == 0);
  }

  @Test
  @DisplayName("A handshake offering per-message compression (as browsers do) is accepted without it: no deflater "
      + "per socket")
  void noCompressionPerSocket() throws Exception {
    Customer customer = api.signUpCustomer("Plain Frames Bakery", null);
    try (java.net.Socket raw = new java.net.Socket()) {
      raw.connect(new java.net.InetSocketAddress("localhost", app.port), 5_000);
      raw.setSoTimeout(5_000);
      raw.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: localhost:" + app.port + "\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
          + "Authorization: Bearer " + customer.token() + "\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      StringBuilder head = new StringBuilder();
      java.io.InputStream in = raw.getInputStream();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        assertThat(b).as("the handshake's answer ends").isNotNegative();
        head.append((char) b);
      }
      assertThat(head.toString()).startsWith("HTTP/1.1 101").doesNotContainIgnoringCase("Sec-WebSocket-Extensions");
    }
  }

  @ParameterizedTest(name = "events of {0} KB")
  @ValueSource(ints = {64, 8})
  @DisplayName("A client that stops reading is closed once its queue is full, while the other sockets of its address "
      + "receive every event (64 KB: written by Vert.x in fragments; 8 KB: straight to the channel until it is full, "
      + "then queued by Vert.x)")
  void slowSocketDoesNotHoldUpOthers(int kilobytes) throws Exception {
    Customer customer = api.signUpCustomer("Slow Reader Bakery " + kilobytes, null);
    String address = Addresses.liveAccount(UUID.fromString(customer.accountId()));
    try (LiveClient reader = socket(customer.token());
         java.net.Socket stalled = new java.net.Socket()) {
      // a raw client that completes the handshake and then never reads again
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new java.net.InetSocketAddress("localhost", app.port), 5_000);
      stalled.setSoTimeout(5_000);
      stalled.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: localhost:" + app.port + "\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Authorization: Bearer " + customer.token() + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] head = new byte[12];
      assertThat(stalled.getInputStream().readNBytes(head, 0, 12)).isEqualTo(12);
      assertThat(new String(head, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 101");
      await().atMost(Duration.ofSeconds(5)).until(() -> WebSocketHandler.openSockets(app.vertx) == 2);

      String filler = "x".repeat(kilobytes * 1024);
      int published = 0;
      // big events, as BannerVerticle publishes them, until the server gives up on the client that does not read;
      // the reading socket gets each one, in order, meanwhile
      while (WebSocketHandler.openSockets(app.vertx) == 2) {
        assertThat(published).as("the stalled client is closed before 2,000 events of %d KB", kilobytes)
            .isLessThan(2_000);
        app.vertx.eventBus().publish(address, new JsonObject().put("type", "banner").put("seq", published)
            .put("banner", new JsonObject().put("kind", "filler").put("text", filler)));
        JsonObject got = reader.next("banner", Duration.ofSeconds(5));
        assertThat(got).as("event %d reaches the reading socket", published).isNotNull();
        assertThat(got.getInteger("seq")).isEqualTo(published);
        published++;
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> WebSocketHandler.openSockets(app.vertx) == 1);
      assertThat(consumers(address)).as("the reading socket still listens").isEqualTo(1);
    }
  }

  @Test
  @DisplayName("R28: a removed teammate's sockets close (4401) while the other sockets on the partner's address keep "
      + "receiving its banners")
  void revokedUserClosesOthersKeepReceiving() {
    // R28
    RuleFixtures fx = new RuleFixtures(app);
    PartnerUser admin = api.signUpPartner("Shared Address Advisors");
    PartnerUser member = fx.teammate(admin, "Rae Member", "member");
    Customer customer = api.signUpCustomer("Shared Address Bakery", null);
    api.connectByInvite(admin, customer);
    String address = Addresses.livePartner(UUID.fromString(admin.partnerId()));
    List<LiveClient> admins = new ArrayList<>();
    List<LiveClient> members = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        admins.add(socket(admin.token()));
        members.add(socket(member.token()));
      }
      assertThat(consumers(address)).isBetween(1, app.config.http().instances());

      ApiClient.expect(api.delete("/api/v1/partner/team/" + member.userId(), admin.token()), 200);
      for (LiveClient m : members) {
        assertThat(m.closeCode(Duration.ofSeconds(5))).as("the removed teammate's socket closes").isEqualTo((short) 4401);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> WebSocketHandler.openSockets(app.vertx) == admins.size());
      assertThat(consumers(address)).as("the admin's sockets still listen").isBetween(1, app.config.http().instances());

      ApiClient.expect(api.setAccess(customer, admin.partnerId(), false), 200);
      for (LiveClient a : admins) {
        JsonObject banner = a.next("banner", Duration.ofSeconds(5));
        assertThat(banner).as("the admin's socket still receives the partner's banners").isNotNull();
        assertThat(a.isClosed()).isFalse();
      }
    } finally {
      admins.forEach(LiveClient::close);
      members.forEach(LiveClient::close);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> consumers(address) == 0);
  }
}
