package com.partneraccess.identity;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ServiceTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Password guessing is slowed down")
class SignInThrottleTest extends ServiceTest {
  private ApiClient.Reply signIn(String email, String password) {
    return api.post("/api/v1/auth/token", null, new JsonObject().put("email", email).put("password", password));
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
    assertThat(locked.header("Retry-After")).isNotBlank();
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
}
