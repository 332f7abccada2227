package com.partneraccess.identity;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.LiveClient;
import com.partneraccess.support.PageClient;
import com.partneraccess.support.ServiceTest;
import com.partneraccess.support.TestApp;
import com.partneraccess.support.TestSql;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * R26: signing out ends the token on every instance within a second, whatever spelling of it is presented, and
 * closes its open sockets. (Issue 9, item 2: a trailing {@code =} or a last signature character that decodes to
 * the same bytes got 200 after sign-out; a process whose LISTEN connection dropped never heard of later sign-outs;
 * sockets stayed open.)
 */
@DisplayName("R26: sign-out holds for every spelling of the token, on every instance, and closes its sockets")
class SignOutSpellingsTest extends ServiceTest {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  /** Other spellings of the same signed token that a lenient base64url decoder reads as the same bytes. */
  static List<String> respellings(String token) {
    List<String> out = new ArrayList<>(List.of(token + "=", token + "=="));
    int dot = token.lastIndexOf('.');
    String signature = token.substring(dot + 1);
    int last = ALPHABET.indexOf(signature.charAt(signature.length() - 1));
    int unusedBits = (6 * signature.length()) % 8; // 43 characters carry 32 bytes and 2 unused bits
    for (int k = 1; k < (1 << unusedBits); k++) {
      out.add(token.substring(0, token.length() - 1) + ALPHABET.charAt(last ^ k));
    }
    assertThat(out).hasSizeGreaterThan(2);
    return out;
  }

  @Test
  @DisplayName("R26: on the API, the signed-out token and every re-spelling of it get 401")
  void api() {
    ApiClient.Customer c = api.signUpCustomer("Spelling Bee Salon", null);
    String token = api.token(c.email(), "password-123");
    assertThat(api.get("/api/v1/account", token).status()).isEqualTo(200);
    expect(api.post("/api/v1/auth/signout", token, null), 200);
    assertThat(api.get("/api/v1/account", token).status()).isEqualTo(401);
    for (String spelling : respellings(token)) {
      ApiClient.Reply r = api.get("/api/v1/account", spelling);
      assertThat(r.status()).as("after sign-out: %s", spelling.substring(spelling.length() - 6)).isEqualTo(401);
      assertThat(r.reason()).isEqualTo("TOKEN_INVALID");
    }
    // a re-spelling is refused before any sign-out too: a token has one spelling
    String fresh = api.token(c.email(), "password-123");
    for (String spelling : respellings(fresh)) {
      assertThat(api.get("/api/v1/account", spelling).status()).isEqualTo(401);
    }
    assertThat(api.get("/api/v1/account", fresh).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("R26: on /app, a copied session cookie in any spelling opens nothing after signing out of the pages")
  void pages() throws Exception {
    ApiClient.Customer c = api.signUpCustomer("Spelling Cookie Cafe", null);
    PageClient browser = new PageClient(app.baseUrl());
    browser.signIn(c.email(), "password-123");
    String session = browser.cookie("pa_session");
    HttpClient http = HttpClient.newHttpClient();
    assertThat(app(http, session).statusCode()).isEqualTo(200);
    assertThat(browser.post("/signout", Map.of()).statusCode()).isEqualTo(303);
    List<String> all = new ArrayList<>(respellings(session));
    all.add(session);
    for (String spelling : all) {
      HttpResponse<String> r = app(http, spelling);
      assertThat(r.statusCode()).as("GET /app with %s", spelling.substring(spelling.length() - 6)).isEqualTo(303);
      assertThat(r.headers().firstValue("Location").orElse("")).startsWith("/signin");
    }
  }

  @Test
  @DisplayName("R26: on /ws, the open socket closes (4401) at sign-out, and no spelling of the token opens a new one")
  void sockets() {
    ApiClient.Customer c = api.signUpCustomer("Spelling Socket Shop", null);
    String token = api.token(c.email(), "password-123");
    String other = api.token(c.email(), "password-123");
    try (LiveClient live = LiveClient.connect(app.vertx, app.port, "/ws", Map.of("Authorization", "Bearer " + token));
         LiveClient bystander = LiveClient.connect(app.vertx, app.port, "/ws", Map.of("Authorization", "Bearer " + other))) {
      expect(api.post("/api/v1/auth/signout", token, null), 200);
      assertThat(live.closeCode(Duration.ofSeconds(5))).as("the signed-out token's socket closes").isEqualTo((short) 4401);
      assertThat(bystander.isClosed()).as("another token of the same user stays open").isFalse();
    }
    String origin = app.baseUrl();
    List<String> all = new ArrayList<>(respellings(token));
    all.add(token);
    for (String spelling : all) {
      assertThat(LiveClient.handshakeStatus(app.vertx, app.port, "/ws", Map.of("Authorization", "Bearer " + spelling)))
          .as("Bearer %s", spelling.substring(spelling.length() - 6)).isEqualTo(401);
      assertThat(LiveClient.handshakeStatus(app.vertx, app.port, "/ws",
          Map.of("Origin", origin, "Cookie", "pa_session=" + spelling))).isEqualTo(401);
    }
  }

  @Test
  @DisplayName("R26: an instance whose LISTEN connection dropped reloads the sign-outs it missed when it reconnects")
  void reconnectReloads() {
    ApiClient.Customer c = api.signUpCustomer("Dropped Line Deli", null);
    String token = api.token(c.email(), "password-123");
    try (TestApp second = TestApp.start(new JsonObject(), app.databaseUrl);
         TestSql sql = new TestSql(app.databaseUrl);
         LiveClient live = LiveClient.connect(second.vertx, second.port, "/ws",
             Map.of("Authorization", "Bearer " + token))) {
      assertThat(second.api().get("/api/v1/account", token).status()).isEqualTo(200);
      long dropped = sql.query("""
          SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE '%LISTEN%revoked_tokens%'""")
          .size();
      assertThat(dropped).as("the instances' LISTEN connections").isGreaterThanOrEqualTo(2);
      // signed out while the second instance is not listening: it misses the notification
      expect(api.post("/api/v1/auth/signout", token, null), 200);
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
          .until(() -> second.api().get("/api/v1/account", token).status() == 401);
      assertThat(live.closeCode(Duration.ofSeconds(5))).as("its socket there closes too").isEqualTo((short) 4401);
    }
  }

  private static HttpResponse<String> app(HttpClient http, String session) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/app")).header("Cookie", "pa_session=" + session)
        .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
