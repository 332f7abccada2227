package com.partneraccess.db;

import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.function.Function;

/** Small helpers shared by the repositories: SQLSTATE to domain errors, nullable timestamps. */
public final class Sql {
  /**
   * Starts a statement that is not kept prepared, so PostgreSQL plans it with the values of each call (see
   * {@link DatabaseUrl#connectOptions}).
   */
  public static final String PLAN_PER_CALL = "/* plan per call */ ";
  public static final String UNIQUE_VIOLATION = "23505";

  private Sql() {}

  public static boolean isUniqueViolation(Throwable t, String constraint) {
    return t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
        && (constraint == null || constraint.equals(pg.getConstraint()));
  }

  /** Maps a unique violation of {@code constraint} to {@code problem}; other failures pass through. */
  public static Function<Throwable, Throwable> uniqueAs(String constraint, Problem problem, String detail) {
    return t -> isUniqueViolation(t, constraint) ? new DomainException(problem, detail) : t;
  }

  /**
   * A value PostgreSQL refused as data (SQLSTATE class 22: a NUL character, text that is not UTF-8, a number or
   * date out of range, text too long for its column) came from the client: a 400 with a reason, never a 500.
   * Other failures pass through. The statement failed, so its transaction changed nothing.
   */
  public static Throwable dataErrorAsRefusal(Throwable t) {
    if (!(t instanceof PgException pg) || pg.getSqlState() == null) {
      return t;
    }
    String detail = switch (pg.getSqlState()) {
      case "22021", "22P05" -> "Text may not contain the NUL character (U+0000) or anything that is not UTF-8";
      case "22001" -> "A value is too long";
      case "22003" -> "A number is out of range";
      case "22007", "22008" -> "A date or time is out of range";
      case "22P02" -> "A value does not have the expected form";
      default -> null;
    };
    return detail == null ? t : Problem.VALIDATION_FAILED.exception(detail);
  }

  public static Instant instant(Row row, String column) {
    OffsetDateTime t = row.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  public static String iso(Row row, String column) {
    OffsetDateTime t = row.getOffsetDateTime(column);
    return t == null ? null : t.toInstant().toString();
  }

  public static Row first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : rows.iterator().next();
  }
}
