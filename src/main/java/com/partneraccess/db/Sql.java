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
