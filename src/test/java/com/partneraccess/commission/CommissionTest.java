package com.partneraccess.commission;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Commission arithmetic (R21)")
class CommissionTest {
  private static final YearMonth MARCH = YearMonth.of(2026, 3);

  @Test
  @DisplayName("R21 A customer connected all month accrues every day of it")
  void wholeMonth() {
    int days = Commission.accruedDays(MARCH, Instant.parse("2026-01-01T00:00:00Z"), null,
        Instant.parse("2026-05-01T00:00:00Z"));
    assertThat(days).isEqualTo(31);
    assertThat(Commission.amount(new BigDecimal("62.00"), new BigDecimal("20"), days, MARCH)).isEqualByComparingTo("12.40");
  }

  @Test
  @DisplayName("R21 Accrual stops at the moment of disconnection: the day it happens does not count")
  void stopsAtDisconnect() {
    int days = Commission.accruedDays(MARCH, Instant.parse("2026-03-10T09:00:00Z"),
        Instant.parse("2026-03-20T15:00:00Z"), Instant.parse("2026-05-01T00:00:00Z"));
    assertThat(days).isEqualTo(10); // 10th..19th
  }

  @Test
  @DisplayName("R21 The current month accrues up to now only")
  void upToNow() {
    int days = Commission.accruedDays(MARCH, Instant.parse("2026-02-01T00:00:00Z"), null,
        Instant.parse("2026-03-05T12:00:00Z"));
    assertThat(days).isEqualTo(5); // 1st..4th ended connected, the 5th reaches now connected
  }
}
