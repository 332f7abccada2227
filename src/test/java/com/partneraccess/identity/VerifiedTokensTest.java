package com.partneraccess.identity;

import com.partneraccess.authz.Principal;
import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import com.partneraccess.config.AppConfig;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 (hot path): {@link TokenService} remembers the tokens it verified, so a repeated token costs no signature,
 * JSON or hash. What can change after verification must still hold on every use: the token's expiry, its sign-out
 * (R26) and the end of its user's sessions (password change, R28 removal). Each test verifies the token once (it is
 * remembered) and then changes one of those.
 */
@DisplayName("R26: a remembered token is still refused once expired, signed out or its user's sessions ended")
class VerifiedTokensTest {
  private static final AppConfig.Auth AUTH =
      new AppConfig.Auth("partner-access", "partner-access", 60, 4, "verified-tokens-test-secret-0123456789", false);

  private Vertx vertx;
  private final AtomicLong now = new AtomicLong(System.currentTimeMillis());
  private TokenService tokens;
  private Principal owner;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    tokens = new TokenService(vertx, AUTH, now::get);
    owner = new Principal(UUID.randomUUID(), Principal.Kind.CUSTOMER, UUID.randomUUID(), "owner", null, "Olive Owner",
        null);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Principal verify(String token) {
    return tokens.verify(token).toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
  }

  private Problem refusal(String token) {
    Throwable err = tokens.verify(token).toCompletionStage().handle((p, e) -> e).toCompletableFuture()
        .orTimeout(5, TimeUnit.SECONDS).join();
    assertThat(err).as("the token is refused").isInstanceOf(DomainException.class);
    return ((DomainException) err).problem();
  }

  @Test
  @DisplayName("the same text is verified once and then served from memory, with the same principal")
  void remembered() {
    String token = tokens.issue(owner);
    Principal first = verify(token);
    assertThat(tokens.remembered()).isEqualTo(1);
    assertThat(verify(token)).isEqualTo(first);
    assertThat(first.userId()).isEqualTo(owner.userId());
    assertThat(tokens.remembered()).isEqualTo(1);
  }

  @Test
  @DisplayName("a remembered token past its expiry is refused, and forgotten")
  void expiry() {
    String token = tokens.issue(owner);
    verify(token);
    now.addAndGet(TimeUnit.MINUTES.toMillis(AUTH.tokenMinutes()) + 1_000);
    assertThat(refusal(token)).isEqualTo(Problem.TOKEN_INVALID);
    assertThat(tokens.remembered()).isZero();
  }

  @Test
  @DisplayName("R26: a remembered token signed out (keyed on its jti) is refused")
  void signedOut() {
    String token = tokens.issue(owner);
    verify(token);
    vertx.sharedData().<String, Long>getLocalMap(RevokedTokens.MAP)
        .put(tokens.revocationKey(token), System.currentTimeMillis() + 60_000);
    assertThat(refusal(token)).isEqualTo(Problem.TOKEN_INVALID);
  }

  @Test
  @DisplayName("R26/R28: a remembered token of a user whose sessions ended (reset, removal) is refused; a later one is not")
  void userSessionsEnded() {
    String before = tokens.issue(owner);
    verify(before);
    tokens.userRevoked(owner.userId(), Instant.ofEpochMilli(System.currentTimeMillis())
        .plusSeconds(tokens.tokenSeconds()).plusMillis(5));
    assertThat(refusal(before)).isEqualTo(Problem.TOKEN_INVALID);
  }

  @Test
  @DisplayName("R26: another spelling of a remembered token is not served from memory; it is refused")
  void otherSpelling() {
    String token = tokens.issue(owner);
    verify(token);
    for (String spelling : SignOutSpellingsTest.respellings(token)) {
      assertThat(refusal(spelling)).isEqualTo(Problem.TOKEN_INVALID);
    }
  }

  @Test
  @DisplayName("the memory is bounded: it never holds more than its maximum")
  void bounded() {
    for (int i = 0; i < TokenService.VERIFIED_MAX + 10; i++) {
      verify(tokens.issue(owner));
      assertThat(tokens.remembered()).isLessThanOrEqualTo(TokenService.VERIFIED_MAX);
    }
  }
}
