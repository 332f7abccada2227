package com.partneraccess.identity;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ServiceTest;
import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Password guessing is slowed down")
class SignInThrottleTest extends ServiceTest {
  private static ApiClient.Reply signIn(ApiClient client, String email, String password, String forwardedFor) {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    if (forwardedFor != null) {
      headers.put("X-Forwarded-For", forwardedFor);
    }
    return client.send("POST", "/api/v1/auth/token", headers,
        new JsonObject().put("email", email).put("password", password).encode());
  }

  private ApiClient.Reply signIn(String email, String password) {
    return signIn(api, email, password, null);
  }

  @Test
  @DisplayName("After five wrong passwords for an email, even the right one is refused with 429 until the window passes")
  void fiveFailuresLockTheEmailForAWhile() {
    ApiClient.Customer c = api.signUpCustomer("Guarded Garage", null);
    for (int i = 0; i < 5; i++) {
      ApiClient.Reply wrong = signIn(c.email(), "wrong-password-" + i);
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.reason()).isEqualTo("INVALID_CREDENTIALS");
    }
    ApiClient.Reply locked = signIn(c.email().toUpperCase(), "password-123");
    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.reason()).isEqualTo("TOO_MANY_ATTEMPTS");
    assertThat(Long.parseLong(locked.header("Retry-After"))).isBetween(1L, 15 * 60L);
    assertThat(locked.json().getString("detail")).contains("try again in");

    ApiClient.Customer other = api.signUpCustomer("Unaffected Garage", null);
    assertThat(signIn(other.email(), "password-123").status()).isEqualTo(200);

    api.advanceClock(16.0 / (24 * 60));
    assertThat(signIn(c.email(), "password-123").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("A successful sign-in clears the count of failures")
  void successClears() {
    ApiClient.Customer c = api.signUpCustomer("Forgetful Florist", null);
    for (int i = 0; i < 4; i++) {
      assertThat(signIn(c.email(), "nope-nope-" + i).status()).isEqualTo(401);
    }
    assertThat(signIn(c.email(), "password-123").status()).isEqualTo(200);
    for (int i = 0; i < 4; i++) {
      assertThat(signIn(c.email(), "nope-again-" + i).status()).isEqualTo(401);
    }
    assertThat(signIn(c.email(), "password-123").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("40 wrong passwords sent at once: at most 5 are checked, the rest and then the right one get 429")
  void concurrentGuessesAreCountedBeforeTheCheck() throws Exception {
    ApiClient.Customer c = api.signUpCustomer("Stampeded Stables", null);
    ExecutorService pool = Executors.newFixedThreadPool(40);
    try {
      List<Future<ApiClient.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String guess = "guess-number-" + i;
        replies.add(pool.submit(() -> signIn(c.email(), guess)));
      }
      int checked = 0;
      int refused = 0;
      for (Future<ApiClient.Reply> f : replies) {
        ApiClient.Reply r = f.get();
        if (r.status() == 401) {
          checked++;
        } else {
          assertThat(r.status()).as(r.toString()).isEqualTo(429);
          assertThat(r.header("Retry-After")).isNotBlank();
          refused++;
        }
      }
      assertThat(checked).isLessThanOrEqualTo(5);
      assertThat(refused).isGreaterThanOrEqualTo(35);
    } finally {
      pool.shutdownNow();
    }
    assertThat(signIn(c.email(), "password-123").status()).isEqualTo(429);
    api.advanceClock(16.0 / (24 * 60));
    assertThat(signIn(c.email(), "password-123").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("Without a trusted proxy, a made-up X-Forwarded-For does not give a guesser a fresh count")
  void forwardedForIsIgnoredUnlessTrusted() {
    ApiClient.Customer c = api.signUpCustomer("Spoofed Saddlery", null);
    for (int i = 0; i < 5; i++) {
      assertThat(signIn(api, c.email(), "wrong-" + i, "203.0.113." + i).status()).isEqualTo(401);
    }
    assertThat(signIn(api, c.email(), "wrong-again", "203.0.113.99").status()).isEqualTo(429);
  }

  @Test
  @DisplayName("Counted in PostgreSQL: guesses made on one instance count on another")
  void theCountIsSharedByInstances() {
    ApiClient.Customer c = api.signUpCustomer("Twin Tannery", null);
    try (TestApp second = TestApp.start(new JsonObject(), app.databaseUrl, app.clock)) {
      for (int i = 0; i < 3; i++) {
        assertThat(signIn(c.email(), "wrong-" + i).status()).isEqualTo(401);
      }
      for (int i = 0; i < 2; i++) {
        assertThat(signIn(second.api(), c.email(), "wrong-b-" + i, null).status()).isEqualTo(401);
      }
      assertThat(signIn(second.api(), c.email(), "password-123", null).status()).isEqualTo(429);
      assertThat(signIn(c.email(), "password-123").status()).isEqualTo(429);
    }
  }

  @Test
  @DisplayName("Behind a trusted proxy, guesses from one address do not lock the owner out from another; the e-mail's ceiling does")
  void perAddressAndPerEmail() {
    try (TestApp proxied = TestApp.start(new JsonObject().put("limits", new JsonObject()
        .put("trustForwardedFor", true).put("signInPerEmail", 12)), app.databaseUrl, app.clock)) {
      ApiClient client = proxied.api();
      ApiClient.Customer c = client.signUpCustomer("Elsewhere Electrics", null);
      for (int i = 0; i < 5; i++) {
        assertThat(signIn(client, c.email(), "wrong-" + i, "10.0.0.1, 203.0.113.7").status()).isEqualTo(401);
      }
      assertThat(signIn(client, c.email(), "password-123", "203.0.113.7").status()).isEqualTo(429);
      // the owner, from home: not locked out by the attacker's guesses
      assertThat(signIn(client, c.email(), "password-123", "198.51.100.20").status()).isEqualTo(200);
      // an attacker rotating addresses reaches the e-mail's ceiling (12 attempts in the window)
      int refused = 0;
      for (int i = 0; i < 12; i++) {
        if (signIn(client, c.email(), "wrong-" + i, "203.0.113." + (100 + i)).status() == 429) {
          refused++;
        }
      }
      assertThat(refused).isGreaterThan(0);
      ApiClient.Reply owner = signIn(client, c.email(), "password-123", "198.51.100.20");
      assertThat(owner.status()).isEqualTo(429);
      assertThat(owner.json().getString("detail")).doesNotContain("from this address");
    }
  }
}
