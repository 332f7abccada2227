package com.partneraccess.db;

import java.util.List;

/**
 * The statements of one paged list, one for each combination of the filters a query gives, instead of one statement
 * with {@code ($n IS NULL OR ...)} for every filter. The pool prepares a statement once and PostgreSQL soon plans
 * it once for all values (its generic plan); for the catch-all form that plan cannot tell which filters are given,
 * and for the jobs list it read and sorted all of an account's rows to return one page. Each statement here has only
 * its conditions, so its plan reads the list's index in order and stops after a page ({@code JobListPlanTest},
 * {@code ActivityPlanTest}).
 *
 * <p>A statement is {@code head}, then the given filters in their order, then {@code tail}. {@code head} holds $1
 * (the list's owner, always given). A filter's placeholders are written {@code {0}}, {@code {1}}… in the order of its
 * values; the tail's one placeholder {@code {0}} is the page size. Placeholders are numbered from $2 in that order, so
 * the caller adds the values of the given filters in the same order.
 *
 * <p>A statement with two or more {@linkplain Filter#bound bounds} (a range's two ends, an end and the keyset
 * position) is planned per call ({@link Sql#PLAN_PER_CALL}): for unknown values PostgreSQL estimates such a range
 * at 0.5 % of the rows, and its generic plan then read the whole range and sorted it; planned with the values, it
 * reads the list's index in order.
 */
public final class FilterStatements {
  private final String[] statements;

  /** A filter's condition; a bound limits the list's ordering column from one side. */
  public record Filter(String sql, boolean bound) {
    public static Filter equal(String sql) {
      return new Filter(sql, false);
    }

    public static Filter bound(String sql) {
      return new Filter(sql, true);
    }
  }

  public FilterStatements(String head, List<Filter> filters, String tail) {
    if (filters.size() > 10) {
      throw new IllegalArgumentException("at most 10 filters (2^n statements)");
    }
    statements = new String[1 << filters.size()];
    for (int bits = 0; bits < statements.length; bits++) {
      StringBuilder sql = new StringBuilder(head);
      int next = 2;
      int bounds = 0;
      for (int i = 0; i < filters.size(); i++) {
        if ((bits & (1 << i)) != 0) {
          next = append(sql, filters.get(i).sql(), next);
          bounds += filters.get(i).bound() ? 1 : 0;
        }
      }
      if (bounds >= 2) {
        sql.insert(0, Sql.PLAN_PER_CALL);
      }
      append(sql, tail, next);
      statements[bits] = sql.toString();
    }
  }

  /** The statement for the given filters: {@code given[i]} tells whether filter i has a value. */
  public String of(boolean... given) {
    if (given.length != Integer.numberOfTrailingZeros(statements.length)) {
      throw new IllegalArgumentException("one flag per filter");
    }
    int bits = 0;
    for (int i = 0; i < given.length; i++) {
      bits |= given[i] ? 1 << i : 0;
    }
    return statements[bits];
  }

  /** Writes {@code template} with {0}, {1}… numbered from {@code next}; returns the next free number. */
  private static int append(StringBuilder sql, String template, int next) {
    int used = 0;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '{' && i + 2 < template.length() && Character.isDigit(template.charAt(i + 1))
          && template.charAt(i + 2) == '}') {
        int local = template.charAt(i + 1) - '0';
        sql.append('$').append(next + local);
        used = Math.max(used, local + 1);
        i += 2;
      } else {
        sql.append(c);
      }
    }
    return next + used;
  }
}
