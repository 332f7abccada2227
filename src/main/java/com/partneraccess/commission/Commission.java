package com.partneraccess.commission;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * R21 as plain arithmetic. A customer earns the partner a share of its plan price for every UTC day that
 * ends (or, for today, reaches now) with the customer connected and its account active, whatever the
 * access state. Disconnecting or cancelling stops accrual from that moment: the day it happens does not
 * count. Daily amount = monthly price x share / days in the month.
 */
public final class Commission {
  private Commission() {}

  /** Days of {@code month} that accrue for a connection alive from {@code from} until {@code until} (null: still). */
  public static int accruedDays(YearMonth month, Instant from, Instant until, Instant now) {
    int days = 0;
    for (int d = 1; d <= month.lengthOfMonth(); d++) {
      LocalDate date = month.atDay(d);
      Instant dayStart = date.atStartOfDay().toInstant(ZoneOffset.UTC);
      if (!dayStart.isBefore(now)) {
        break;
      }
      Instant dayEnd = date.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      Instant checkpoint = dayEnd.isAfter(now) ? now : dayEnd;
      boolean connectedThen = from.isBefore(checkpoint) && (until == null || !until.isBefore(checkpoint));
      if (connectedThen) {
        days++;
      }
    }
    return days;
  }

  public static BigDecimal amount(BigDecimal monthlyPrice, BigDecimal sharePercent, int days, YearMonth month) {
    return monthlyPrice.multiply(sharePercent).multiply(BigDecimal.valueOf(days))
        .divide(BigDecimal.valueOf(100L * month.lengthOfMonth()), 2, RoundingMode.HALF_EVEN);
  }
}
