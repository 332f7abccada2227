package com.partneraccess.bus;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The limits of every input a feature service takes, checked in the service so the JSON API and the pages
 * answer the same request with the same sentence (the OpenAPI schema repeats them for API clients).
 */
public final class Input {
  /** Free texts a user writes for the record: a disconnect or cancel reason. */
  public static final int REASON_MAX = 500;
  /** Names and titles. */
  public static final int NAME_MAX = 200;
  /** Jobs created by one request (the API and the Jobs page alike). */
  public static final int JOBS_PER_REQUEST_MAX = 500;
  /** Rows in one page of a list. */
  public static final int PAGE_MAX = 500;
  /** R28: teammates (and, apart, pending team invitations) listed on the Team page and by the API. */
  public static final int TEAM_MAX = 500;

  /** The partner directory: a listing's region and description, a lead's message ("Contact me"). */
  public static final int REGION_MAX = 100;
  public static final int DESCRIPTION_MAX = 500;
  public static final int LEAD_MESSAGE_MAX = 1000;
  /** Leads one customer account may send in any 24 hours (then 429 with Retry-After); one open lead per partner. */
  public static final int LEADS_PER_DAY = 5;

  /** An e-mail address: something@host.tld, no spaces, at most 254 characters (RFC 5321). */
  public static final int EMAIL_MAX = 254;
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

  private Input() {}

  /** True when {@code value} looks like an e-mail address (the pages' forms ask the same). */
  public static boolean looksLikeEmail(String value) {
    return value != null && value.length() <= EMAIL_MAX && EMAIL.matcher(value).matches();
  }

  /** A required e-mail address, stripped; refused with "<label> does not look like an email address". */
  public static String requiredEmail(String value, String label) {
    String v = requiredText(value, label, EMAIL_MAX);
    if (!looksLikeEmail(v)) {
      throw Problem.VALIDATION_FAILED.exception(label + " does not look like an email address");
    }
    return v;
  }

  /** An optional free text: null when absent or blank, stripped, at most {@code max} characters. */
  public static String optionalText(String value, String label, int max) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    if (v.length() > max) {
      throw Problem.VALIDATION_FAILED.exception(label + " is too long (at most " + max + " characters)");
    }
    return v;
  }

  /** A required text, stripped, at most {@code max} characters. */
  public static String requiredText(String value, String label, int max) {
    String v = optionalText(value, label, max);
    if (v == null) {
      throw Problem.VALIDATION_FAILED.exception(label + " is required");
    }
    return v;
  }

  /** A whole number in [min, max]; {@code fallback} when absent. */
  public static int range(Integer value, String label, int min, int max, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (value < min || value > max) {
      throw Problem.VALIDATION_FAILED.exception(label + " must be between " + min + " and " + max);
    }
    return value;
  }

  /** A person a list is filtered by: a user of the account or a partner organisation. */
  public record Person(String kind, java.util.UUID id) {
    public boolean isPartner() {
      return "partner".equals(kind);
    }

    /** The parameter value: {@code user:<uuid>} or {@code partner:<uuid>}. */
    public String param() {
      return kind + ":" + id;
    }
  }

  /** An optional person filter, {@code user:<uuid>} or {@code partner:<uuid>}; null when absent. */
  public static Person optionalPerson(String value, String label) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    int colon = v.indexOf(':');
    String kind = colon < 0 ? "" : v.substring(0, colon);
    if (!kind.equals("user") && !kind.equals("partner")) {
      throw Problem.VALIDATION_FAILED.exception(label + " must be user:<id> or partner:<id>");
    }
    try {
      return new Person(kind, java.util.UUID.fromString(v.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw Problem.VALIDATION_FAILED.exception(label + " must be user:<id> or partner:<id>");
    }
  }

  /**
   * An optional moment: an ISO instant (2026-12-01T10:00:00Z) or a day (2026-12-01, UTC), taken as the start of that
   * day or, with {@code endOfDay}, the start of the next (so "to 1 December" includes all of 1 December).
   */
  public static java.time.Instant optionalMoment(String value, String label, boolean endOfDay) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    try {
      if (v.length() == 10) {
        java.time.LocalDate day = java.time.LocalDate.parse(v);
        return (endOfDay ? day.plusDays(1) : day).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      }
      return java.time.Instant.parse(v);
    } catch (java.time.DateTimeException e) {
      throw Problem.VALIDATION_FAILED.exception(label + " must be a day (2026-12-01) or an ISO instant");
    }
  }

  /** One of the listed values, or null when absent. */
  public static String oneOf(String value, String label, Set<String> allowed) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (!allowed.contains(value)) {
      throw Problem.VALIDATION_FAILED.exception(label + " must be one of " + String.join(", ", allowed));
    }
    return value;
  }
}
