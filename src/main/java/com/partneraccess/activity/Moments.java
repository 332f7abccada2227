package com.partneraccess.activity;

import com.partneraccess.bus.Problem;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * R32: the moments a question about the history names, read the one way both adapters use. With a time zone
 * (the page sends the viewer's zone) a moment may be a local date-time ({@code 2026-03-03T10:00}) or a date (its
 * first instant in that zone); without one (the API) it must be ISO-8601 with an offset
 * ({@code 2026-03-03T10:00:00+01:00}). Anything else is a 400 with a reason.
 */
public final class Moments {
  /** The earliest moment a question may name: before it there is no history of this service. */
  static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  private Moments() {}

  /** The zone named by an IANA id ({@code Europe/Berlin}) or an offset ({@code +01:00}); UTC when blank. */
  public static ZoneId zone(String tz) {
    if (tz == null || tz.isBlank()) {
      return ZoneId.of("UTC");
    }
    try {
      return ZoneId.of(tz.strip());
    } catch (DateTimeException e) {
      throw Problem.VALIDATION_FAILED.exception("The time zone '" + clip(tz)
          + "' is not known; use a name such as Europe/London or an offset such as +01:00");
    }
  }

  /**
   * The instant {@code text} names; {@code zone} null means the text must carry its offset. A date alone is the
   * start of that day ({@code endOfDay}: of the next day, so "to 2026-03-31" includes the 31st).
   */
  public static Instant parse(String text, String label, ZoneId zone, boolean endOfDay) {
    if (text == null || text.isBlank()) {
      throw Problem.VALIDATION_FAILED.exception(label + " is required");
    }
    String t = text.strip();
    Instant at;
    try {
      at = OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException withoutOffset) {
      if (zone == null) {
        throw Problem.VALIDATION_FAILED.exception(label + " must be an ISO-8601 date-time with an offset, such as "
            + "2026-03-03T10:00:00+01:00 (it was '" + clip(t) + "')");
      }
      at = local(t, label, zone, endOfDay);
    }
    if (at.isBefore(EARLIEST)) {
      throw Problem.VALIDATION_FAILED.exception(label + " must not be before 2000-01-01");
    }
    return at;
  }

  private static Instant local(String t, String label, ZoneId zone, boolean endOfDay) {
    try {
      if (t.length() <= 10) {
        LocalDate day = LocalDate.parse(t);
        return (endOfDay ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
      }
      return LocalDateTime.parse(t).atZone(zone).toInstant();
    } catch (DateTimeParseException e) {
      throw Problem.VALIDATION_FAILED.exception(label + " must be a date (2026-03-03) or a date and time "
          + "(2026-03-03T10:00); it was '" + clip(t) + "'");
    }
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
