package com.partneraccess.access;

import com.partneraccess.bus.Problem;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The rule evaluator (pure Java)")
class RuleEvaluatorTest {
  private static final Duration TTL = Duration.ofDays(60);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static final Instant LONG_AGO = T0.minus(Duration.ofDays(1000));

  /** A row whose stored expiry is the derivation of its inputs (the last access decides it), as the trigger keeps it. */
  private static RuleEvaluator.ConnectionView row(String access, Instant expiresAt) {
    ExpiryRule.Inputs inputs = expiresAt == null
        ? new ExpiryRule.Inputs(null, null, null, null, LONG_AGO)
        : new ExpiryRule.Inputs(expiresAt.minus(TTL), null, LONG_AGO, null, LONG_AGO);
    assertThat(inputs.expiry(TTL)).isEqualTo(expiresAt);
    return new RuleEvaluator.ConnectionView(UUID.randomUUID(), access, expiresAt, "active", "Acme", inputs);
  }

  /** The rule with the account's own switch-on moment as the only rule start. */
  private static Instant expiry(Instant lastAccess, Instant enabledAt, Instant hundredth, Instant ruleFrom,
                                Duration ttl) {
    return ExpiryRule.expiry(lastAccess, enabledAt, hundredth, ruleFrom, null, ttl);
  }

  @Test
  @DisplayName("R12 There is no expiry before the account reaches the job threshold")
  void noExpiryBeforeThreshold() {
    assertThat(expiry(T0, T0, null, T0, TTL)).isNull();
    assertThat(RuleEvaluator.decide(row("enabled", null), T0.plus(Duration.ofDays(3650)), null, TTL).allowed()).isTrue();
  }

  @Test
  @DisplayName("R11 R12 Expiry is 60 days after the later of the last access and the 100th job")
  void expiryFromLatestInput() {
    Instant hundredth = T0.plus(Duration.ofDays(10));
    assertThat(expiry(T0, T0, hundredth, T0.minus(Duration.ofDays(400)), TTL))
        .isEqualTo(hundredth.plus(TTL));
    Instant access = T0.plus(Duration.ofDays(20));
    assertThat(expiry(access, T0, hundredth, T0.minus(Duration.ofDays(400)), TTL))
        .isEqualTo(access.plus(TTL));
  }

  @Test
  @DisplayName("R13 The rule's switch-on moment for the account starts its 60 days; no switch-on, no expiry")
  void ruleStart() {
    Instant switchOn = T0.plus(Duration.ofDays(100));
    assertThat(expiry(T0, T0, T0, switchOn, TTL)).isEqualTo(switchOn.plus(TTL));
    assertThat(expiry(T0, T0, T0, null, TTL)).isNull();
  }

  @Test
  @DisplayName("R15 Re-enabling restarts the 60 days")
  void reenable() {
    Instant enabled = T0.plus(Duration.ofDays(90));
    assertThat(expiry(T0, enabled, T0, T0, TTL)).isEqualTo(enabled.plus(TTL));
  }

  @Test
  @DisplayName("R14 A check one second past expiry is refused even though the stored state is still enabled")
  void enforcedOnCheck() {
    Instant expiry = T0.plus(TTL);
    assertThat(RuleEvaluator.decide(row("enabled", expiry), expiry.minusSeconds(1), null, TTL).allowed()).isTrue();
    RuleEvaluator.Decision late = RuleEvaluator.decide(row("enabled", expiry), expiry.plusSeconds(1), null, TTL);
    assertThat(late.allowed()).isFalse();
    assertThat(late.refusal()).isEqualTo(Problem.ACCESS_EXPIRED);
  }

  @Test
  @DisplayName("R11 An access not yet flushed still extends the expiry")
  void pendingTouchCounts() {
    Instant expiry = T0.plus(TTL);
    Instant touchedAt = expiry.minusSeconds(1);
    RuleEvaluator.Decision d = RuleEvaluator.decide(row("enabled", expiry), expiry.plusSeconds(5), touchedAt, TTL);
    assertThat(d.allowed()).isTrue();
    assertThat(d.effectiveExpiry()).isEqualTo(touchedAt.plus(TTL));
  }

  @Test
  @DisplayName("R5 R7 Disabled, expired, disconnected and cancelled are refused with their own reasons")
  void refusals() {
    assertThat(RuleEvaluator.decide(row("disabled", null), T0, null, TTL).refusal()).isEqualTo(Problem.ACCESS_DISABLED);
    assertThat(RuleEvaluator.decide(row("expired", null), T0, null, TTL).refusal()).isEqualTo(Problem.ACCESS_EXPIRED);
    assertThat(RuleEvaluator.decide(null, T0, null, TTL).refusal()).isEqualTo(Problem.NOT_CONNECTED);
    RuleEvaluator.ConnectionView cancelled = new RuleEvaluator.ConnectionView(UUID.randomUUID(), "enabled", null,
        "cancelled", "Acme", new ExpiryRule.Inputs(null, null, null, null, LONG_AGO));
    assertThat(RuleEvaluator.decide(cancelled, T0, null, TTL).refusal()).isEqualTo(Problem.ACCOUNT_CANCELLED);
  }
}
