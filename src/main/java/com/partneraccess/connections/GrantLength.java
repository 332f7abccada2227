package com.partneraccess.connections;

import com.partneraccess.bus.Input;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * R29: how long approved access lasts. A partner asks for one of these with its request, and the owner approves
 * for it or for one of its own. {@link #UNTIL_RULE} is no grant at all: access lasts until the 60-day rule ends it.
 * The API and the forms spell them by {@link #code}: {@code 1d}, {@code 7d}, {@code 30d}, {@code rule}.
 */
public enum GrantLength {
  ONE_DAY("1d", 1),
  SEVEN_DAYS("7d", 7),
  THIRTY_DAYS("30d", 30),
  UNTIL_RULE("rule", null);

  /** The codes, in the order the forms offer them. */
  public static final Set<String> CODES = new LinkedHashSet<>(Arrays.stream(values()).map(g -> g.code).toList());

  public final String code;
  /** The grant's length in days; null for {@link #UNTIL_RULE}. */
  public final Integer days;

  GrantLength(String code, Integer days) {
    this.code = code;
    this.days = days;
  }

  /** The length a form or body names; {@code fallback} when none is named; a 400 for anything else. */
  public static GrantLength parse(String code, String label, GrantLength fallback) {
    String c = Input.oneOf(code, label, CODES);
    return c == null ? fallback : Arrays.stream(values()).filter(g -> g.code.equals(c)).findFirst().orElseThrow();
  }

  /** The length stored as days (null: until the 60-day rule). */
  public static GrantLength ofDays(Integer days) {
    return days == null ? UNTIL_RULE
        : Arrays.stream(values()).filter(g -> days.equals(g.days)).findFirst().orElse(UNTIL_RULE);
  }

  /** The grant's end when approved at {@code now} (24-hour days, as the expiry counts them); null for the rule. */
  public OffsetDateTime endFrom(OffsetDateTime now) {
    return days == null ? null : now.plus(Duration.ofDays(days));
  }

  /** "for 7 days", "for 1 day", "until the 60-day rule". */
  public String phrase() {
    return days == null ? "until the 60-day rule" : days == 1 ? "for 1 day" : "for " + days + " days";
  }

  /** "the 7-day grant". */
  public String grantName() {
    return days == null ? "the open-ended access" : "the " + days + "-day grant";
  }
}
