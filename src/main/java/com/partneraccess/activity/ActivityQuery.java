package com.partneraccess.activity;

import com.partneraccess.bus.Cursor;
import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One question asked of an account's activity history, validated once for the Activity page and {@code GET
 * /account/activity} ({@link ActivityService#page}): the person (user or partner), the kind (a group such as
 * {@code access} or one kind such as {@code access.enabled}), a time range, the page size (at most
 * {@value #PAGE_MAX}) and the keyset position (entries older than {@code beforeId}).
 */
public record ActivityQuery(UUID accountId, Input.Person person, String kind, Instant from, Instant to, int limit,
                            Long beforeId) {
  public static final int PAGE_MAX = Input.PAGE_MAX;
  public static final int PAGE_DEFAULT = 50;
  public static final int KIND_MAX = 60;
  /** The kinds' groups (the part before the dot), as the page offers them. */
  public static final List<String> KIND_GROUPS = List.of("access", "account", "expiry", "invite", "owner", "partner",
      "request", "staff", "subscription");
  static final String CURSOR_KIND = "activity";

  static ActivityQuery parse(UUID accountId, ActivityService.ListActivity request) {
    Input.Person person = Input.optionalPerson(request.person(), "person");
    String kind = Input.optionalText(request.kind(), "kind", KIND_MAX);
    if (kind != null && !kind.matches("[a-z_]+(\\.[a-z_]+)*")) {
      throw Problem.VALIDATION_FAILED.exception("kind must be a kind such as access or access.enabled");
    }
    Instant from = Input.optionalMoment(request.from(), "from", false);
    Instant to = Input.optionalMoment(request.to(), "to", true);
    if (from != null && to != null && !from.isBefore(to)) {
      throw Problem.VALIDATION_FAILED.exception("from must be before to");
    }
    int limit = Cursor.limit(request.limit(), PAGE_MAX, PAGE_DEFAULT);
    Long before = request.before();
    List<String> after = Cursor.decode(request.cursor(), CURSOR_KIND, 2);
    if (after != null) {
      try {
        before = Long.parseLong(after.get(0));
      } catch (NumberFormatException e) {
        throw Cursor.refused();
      }
    }
    if (before != null && before < 1) {
      throw Problem.VALIDATION_FAILED.exception("before must be at least 1");
    }
    return new ActivityQuery(accountId, person, kind, from, to, limit, before);
  }

  static String cursorAfter(ActivityEntry last) {
    return Cursor.encode(CURSOR_KIND, Long.toString(last.id()));
  }
}
