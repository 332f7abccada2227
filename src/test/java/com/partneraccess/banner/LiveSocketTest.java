package com.partneraccess.banner;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.LiveClient;
import com.partneraccess.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Live banners and the live cut-off over the WebSocket /ws")
class LiveSocketTest {
  static TestApp app;
  static ApiClient api;
  static Vertx client;
  static String origin;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    api = app.api();
    client = Vertx.vertx();
    origin = app.baseUrl();
  }

  @AfterAll
  static void stop() {
    client.close().await();
    app.close();
  }

  static LiveClient browser(String token) {
    return LiveClient.connect(client, app.port, "/ws?token=" + token, Map.of("Origin", origin));
  }

  static LiveClient bearer(String token) {
    return LiveClient.connect(client, app.port, "/ws", Map.of("Authorization", "Bearer " + token));
  }

  @Test
  @DisplayName("R16, R17: the owner's socket receives the access-requested banner within one second; after approval the "
      + "partner's socket receives the outcome; another account's socket receives nothing")
  void requestAndOutcomeArriveLive() {
    // R16 R17
    PartnerUser partner = api.signUpPartner("Live Partners");
    Customer customer = api.signUpCustomer("Live Bakery", null);
    Customer other = api.signUpCustomer("Other Bakery", null);
    api.connectByInvite(partner, customer);
    ApiClient.expect(api.setAccess(customer, partner.partnerId(), false), 200);

    try (LiveClient owner = browser(customer.token()); LiveClient otherOwner = browser(other.token());
         LiveClient partnerSocket = bearer(partner.token())) {
      partnerSocket.next("banner", Duration.ofSeconds(2)); // the "access disabled" banner raised above may still arrive
      long sent = System.nanoTime();
      ApiClient.Reply request = api.post("/api/v1/partner/customers/" + customer.accountId() + "/access-requests",
          partner.token(), new JsonObject().put("reason", "To close the month"));
      assertThat(request.status()).isEqualTo(201);
      JsonObject banner = owner.next("banner", Duration.ofSeconds(1));
      long millis = Duration.ofNanos(System.nanoTime() - sent).toMillis();
      assertThat(banner).as("banner within one second").isNotNull();
      assertThat(millis).isLessThan(1000);
      JsonObject b = banner.getJsonObject("banner");
      assertThat(b.getString("kind")).isEqualTo("access_requested");
      assertThat(b.getString("accountId")).isEqualTo(customer.accountId());
      assertThat(b.getString("requestId")).isEqualTo(request.json().getString("requestId"));

      ApiClient.expect(api.post("/api/v1/account/access-requests/" + b.getString("requestId") + "/approve",
          customer.token(), null), 200);
      JsonObject outcome = partnerSocket.next("banner", Duration.ofSeconds(1));
      assertThat(outcome).isNotNull();
      assertThat(outcome.getJsonObject("banner").getString("kind")).isEqualTo("request_approved");

      assertThat(otherOwner.next("banner", Duration.ofMillis(300))).as("no banner of one account reaches another").isNull();
    }
  }

  @Test
  @DisplayName("R7, R19: when access is disabled the partner's account socket gets access_ended and closes, and the "
      + "next request with its account-scoped token is refused")
  void liveCutOff() {
    // R7 R19
    PartnerUser partner = api.signUpPartner("Cut Partners");
    Customer customer = api.signUpCustomer("Cut Bakery", null);
    api.connectByInvite(partner, customer);
    String session = api.session(partner, customer.accountId());
    try (LiveClient socket = bearer(session)) {
      ApiClient.expect(api.setAccess(customer, partner.partnerId(), false), 200);
      JsonObject ended = socket.next("access_ended", Duration.ofSeconds(1));
      assertThat(ended).isNotNull();
      assertThat(ended.getString("accountId")).isEqualTo(customer.accountId());
      assertThat(ended.getString("reason")).isEqualTo("disabled");
      assertThat(socket.closeCode(Duration.ofSeconds(2))).isEqualTo((short) 4403);
    }
    assertThat(api.get("/api/v1/account", session).reason()).isEqualTo("ACCESS_DISABLED");
    // and the handshake is refused while access is disabled
    assertThat(LiveClient.handshakeStatus(client, app.port, "/ws",
        Map.of("Authorization", "Bearer " + session))).isEqualTo(403);
  }

  @Test
  @DisplayName("R19: disconnecting ends the partner's account socket")
  void disconnectEndsSocket() {
    // R19
    PartnerUser partner = api.signUpPartner("Gone Partners");
    Customer customer = api.signUpCustomer("Gone Bakery", null);
    api.connectByInvite(partner, customer);
    String session = api.session(partner, customer.accountId());
    try (LiveClient socket = bearer(session)) {
      ApiClient.expect(api.post("/api/v1/account/partners/" + partner.partnerId() + "/disconnect", customer.token(),
          new JsonObject()), 200);
      JsonObject ended = socket.next("access_ended", Duration.ofSeconds(1));
      assertThat(ended).isNotNull();
      assertThat(ended.getString("reason")).isEqualTo("disconnected");
    }
    assertThat(api.get("/api/v1/account", session).reason()).isEqualTo("NOT_CONNECTED");
  }

  @Test
  @DisplayName("Handshakes are refused without a token, with an expired token, for another account's scope and from a "
      + "foreign Origin")
  void refusedHandshakes() {
    PartnerUser partner = api.signUpPartner("Refused Partners");
    Customer customer = api.signUpCustomer("Refused Bakery", null);
    Customer other = api.signUpCustomer("Stranger Bakery", null);
    api.connectByInvite(partner, customer);
    String session = api.session(partner, customer.accountId());

    assertThat(LiveClient.handshakeStatus(client, app.port, "/ws", Map.of("Origin", origin))).isEqualTo(401);
    assertThat(LiveClient.handshakeStatus(client, app.port, "/ws?token=" + expiredToken(customer), Map.of("Origin", origin)))
        .isEqualTo(401);
    assertThat(LiveClient.handshakeStatus(client, app.port, "/ws?token=" + customer.token() + "&accountId="
        + other.accountId(), Map.of("Origin", origin))).isEqualTo(403);
    assertThat(LiveClient.handshakeStatus(client, app.port, "/ws?accountId=" + other.accountId(),
        Map.of("Authorization", "Bearer " + session))).isEqualTo(403);
    assertThat(LiveClient.handshakeStatus(client, app.port, "/ws?token=" + customer.token(),
        Map.of("Origin", "https://evil.example"))).isEqualTo(403);
    assertThat(LiveClient.handshakeStatus(client, app.port, "/ws?token=" + customer.token(), Map.of()))
        .as("no Origin and no bearer header: treated as a browser without Origin").isEqualTo(403);
    // and the accepted forms, for contrast
    assertThat(LiveClient.handshakeStatus(client, app.port, "/ws?token=" + customer.token(), Map.of("Origin", origin)))
        .isEqualTo(101);
    assertThat(LiveClient.handshakeStatus(client, app.port, "/ws", Map.of("Cookie", "pa_session=" + customer.token(),
        "Origin", origin))).isEqualTo(101);
  }

  @Test
  @DisplayName("A staff user's socket receives no account banners")
  void staffGetsNoAccountBanners() {
    PartnerUser partner = api.signUpPartner("Staff Partners");
    Customer customer = api.signUpCustomer("Staff Bakery", null);
    api.connectByInvite(partner, customer);
    ApiClient.expect(api.setAccess(customer, partner.partnerId(), false), 200);
    String email = ApiClient.uniqueEmail("staff");
    ApiClient.expect(api.post("/api/v1/account/staff", customer.token(), new JsonObject().put("name", "Sam")
        .put("email", email).put("password", "password-123").put("role", "staff")), 201);
    String staffToken = api.token(email, "password-123");
    try (LiveClient staff = browser(staffToken); LiveClient owner = browser(customer.token())) {
      ApiClient.expect(api.post("/api/v1/partner/customers/" + customer.accountId() + "/access-requests",
          partner.token(), new JsonObject().put("reason", "To close the month")), 201);
      assertThat(owner.next("banner", Duration.ofSeconds(1))).isNotNull();
      assertThat(staff.next("banner", Duration.ofMillis(300))).isNull();
    }
  }

  static String expiredToken(Customer customer) {
    JWTAuth jwt = JWTAuth.create(client, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(TestApp.JWT_SECRET)));
    JsonObject claims = new JsonObject().put("sub", customer.ownerId()).put("kind", "customer")
        .put("acct", customer.accountId()).put("role", "owner").put("name", "x")
        .put("exp", System.currentTimeMillis() / 1000 - 3600);
    return jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setIssuer(app.config.auth().issuer())
        .setAudience(List.of(app.config.auth().audience())).setNoTimestamp(true));
  }

  @Test
  @DisplayName("At most limits.socketsPerUser (10) sockets per user: the next handshake is refused with 429 and a reason; "
      + "closing one frees its slot; another user is not affected")
  void socketsPerUserAreCapped() {
    Customer customer = api.signUpCustomer("Tabby Tailors", null);
    Customer other = api.signUpCustomer("Single Tab Stores", null);
    List<LiveClient> open = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < app.config.limits().socketsPerUser(); i++) {
        open.add(i % 2 == 0 ? browser(customer.token()) : bearer(customer.token()));
      }
      io.vertx.core.http.UpgradeRejectedException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
          io.vertx.core.http.UpgradeRejectedException.class,
          () -> client.createWebSocketClient().connect(LiveClient.options(app.port, "/ws",
              Map.of("Authorization", "Bearer " + customer.token()))).await());
      assertThat(refused).isNotNull();
      assertThat(refused.getStatus()).isEqualTo(429);
      assertThat(refused.getBody().toString()).contains("live connections open");
      try (LiveClient unaffected = bearer(other.token())) {
        assertThat(unaffected.isClosed()).isFalse();
      }
      open.remove(0).close();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
          LiveClient.handshakeStatus(client, app.port, "/ws", Map.of("Authorization", "Bearer " + customer.token())) == 101);
    } finally {
      open.forEach(LiveClient::close);
    }
  }
}
