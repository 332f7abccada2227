package com.partneraccess.jobs;

import com.partneraccess.bus.Cursor;
import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One question asked of an account's jobs, validated once for the Jobs page and {@code GET /account/jobs}
 * ({@link JobService#list}): who created them, a time range, the page size (at most {@value #PAGE_MAX}) and the
 * keyset position (newest first: created_at descending, id ascending among equal times).
 */
public record JobQuery(UUID accountId, Input.Person person, Instant from, Instant to, int limit, Instant afterTime,
                       UUID afterId) {
  public static final int PAGE_MAX = Input.PAGE_MAX;
  public static final int PAGE_DEFAULT = 50;
  static final String CURSOR_KIND = "jobs";

  static JobQuery parse(UUID accountId, JobService.ListJobs request) {
    Input.Person person = Input.optionalPerson(request.person(), "person");
    Instant from = Input.optionalMoment(request.from(), "from", false);
    Instant to = Input.optionalMoment(request.to(), "to", true);
    if (from != null && to != null && !from.isBefore(to)) {
      throw Problem.VALIDATION_FAILED.exception("from must be before to");
    }
    int limit = Cursor.limit(request.limit(), PAGE_MAX, PAGE_DEFAULT);
    List<String> after = Cursor.decode(request.cursor(), CURSOR_KIND, 3);
    if (after == null) {
      return new JobQuery(accountId, person, from, to, limit, null, null);
    }
    try {
      return new JobQuery(accountId, person, from, to, limit, Instant.parse(after.get(0)), UUID.fromString(after.get(1)));
    } catch (RuntimeException e) {
      throw Cursor.refused();
    }
  }

  /**
   * The same question with at most one upper bound on the creation time: {@code to} and the keyset position both
   * bound it from above, and the tighter one implies the other, so the statement carries only that one (a
   * statement with both got a generic plan that read and sorted the whole range; {@code JobListPlanTest}).
   */
  JobQuery withOneUpperBound() {
    if (to == null || afterTime == null) {
      return this;
    }
    return afterTime.isBefore(to) ? new JobQuery(accountId, person, from, null, limit, afterTime, afterId)
        : new JobQuery(accountId, person, from, to, limit, null, null);
  }

  static String cursorAfter(Job last) {
    return Cursor.encode(CURSOR_KIND, last.createdAt(), last.id().toString());
  }
}
