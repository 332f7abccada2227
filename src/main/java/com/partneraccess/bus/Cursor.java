package com.partneraccess.bus;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The opaque {@code cursor} of every paged list (keyset pagination): the sort key and the id of the last row
 * of a page, so the next page starts right after it whatever was inserted or removed in between (no gaps, no
 * repeats). A cursor names the list and sort it belongs to; any other string is refused with 400 and a reason.
 */
public final class Cursor {
  private static final String SEPARATOR = "\u001f";
  private static final String REFUSED = "cursor is not one this service gave out for this list; use nextCursor of the previous page";
  /** A cursor longer than this is refused (openapi.yaml says the same). */
  public static final int MAX_LENGTH = 400;

  private Cursor() {}

  /** Encodes the parts (the list's name first) into a URL-safe string. */
  public static String encode(String... parts) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(String.join(SEPARATOR, parts).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The parts of {@code cursor} after the list name {@code kind}, which must be what this service encoded for that
   * list with {@code count} parts in all; null when no cursor was given.
   */
  public static List<String> decode(String cursor, String kind, int count) {
    if (cursor == null || cursor.isBlank()) {
      return null;
    }
    if (cursor.length() > MAX_LENGTH) {
      throw Problem.VALIDATION_FAILED.exception("cursor is too long (at most " + MAX_LENGTH + " characters)");
    }
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw Problem.VALIDATION_FAILED.exception(REFUSED);
    }
    List<String> parts = List.of(text.split(SEPARATOR, -1));
    if (parts.size() != count || !kind.equals(parts.get(0)) || text.indexOf('\u0000') >= 0) {
      throw Problem.VALIDATION_FAILED.exception(REFUSED);
    }
    return parts.subList(1, parts.size());
  }

  /** The refusal of a cursor whose parts do not parse. */
  public static DomainException refused() {
    return Problem.VALIDATION_FAILED.exception(REFUSED);
  }

  /** A page asked for: its size (null: the list's default) and the cursor of the previous page (null: the first). */
  public record PageRequest(Integer limit, String cursor) {
    public static final PageRequest FIRST = new PageRequest(null, null);
  }

  /** The position after a row of a newest-first list ordered by (time DESC, id DESC). */
  public record TimeKey(java.time.OffsetDateTime at, java.util.UUID id) {}

  /** The cursor after a row of a newest-first list {@code kind}: its time (ISO instant) and id. */
  public static String timeKey(String kind, String atIso, java.util.UUID id) {
    return encode(kind, atIso, id.toString());
  }

  /** The position a newest-first cursor of {@code kind} names; null when no cursor was given. */
  public static TimeKey timeKey(String cursor, String kind) {
    List<String> parts = decode(cursor, kind, 3);
    if (parts == null) {
      return null;
    }
    try {
      return new TimeKey(java.time.Instant.parse(parts.get(0)).atOffset(java.time.ZoneOffset.UTC),
          java.util.UUID.fromString(parts.get(1)));
    } catch (RuntimeException e) {
      throw refused();
    }
  }

  /** The page size: {@code fallback} when absent, else 1 to {@code max}; "limit must be between 1 and max" beyond. */
  public static int limit(Integer limit, int max, int fallback) {
    return Input.range(limit, "limit", 1, max, fallback);
  }
}
