package com.partneraccess.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one source of time for the rules. In production it is the system clock; with the test clock
 * switched on it can be moved forward (never back), so "61 days later" can be tested and demonstrated.
 * One instance is shared by every verticle of a process.
 */
public final class AppClock {
  private final Clock base;
  private final AtomicLong offsetMillis = new AtomicLong();
  private final boolean movable;

  public AppClock(Clock base, boolean movable) {
    this.base = base;
    this.movable = movable;
  }

  public static AppClock system(boolean movable) {
    return new AppClock(Clock.systemUTC(), movable);
  }

  public Instant now() {
    return base.instant().plusMillis(offsetMillis.get());
  }

  public OffsetDateTime nowUtc() {
    return OffsetDateTime.ofInstant(now(), ZoneOffset.UTC);
  }

  public boolean movable() {
    return movable;
  }

  /** Moves time forward; refuses to move it back so stored timestamps stay ordered. */
  public Instant advance(Duration by) {
    if (!movable) {
      throw new IllegalStateException("the test clock is off");
    }
    if (by.isNegative()) {
      throw new IllegalArgumentException("the clock only moves forward");
    }
    offsetMillis.addAndGet(by.toMillis());
    return now();
  }

  public Duration offset() {
    return Duration.ofMillis(offsetMillis.get());
  }

  public static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
