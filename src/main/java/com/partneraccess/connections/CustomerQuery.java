package com.partneraccess.connections;

import com.partneraccess.bus.Cursor;
import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One question asked of a partner's customer list, validated: the Customers page and {@code GET
 * /partner/customers} build it the same way ({@link ConnectionService#customers}) and
 * {@link CustomerListRepository#customerPage} turns it into the one SQL query, so search, filters, sorts and the
 * page-size maximum cannot drift between them. Filters are on the access as it is now (R14: an enabled
 * connection past its expiry is expired even before the sweep).
 *
 * @param accountId only this customer (the disconnect page), or null for the whole list
 * @param after     the last row of the previous page (keyset), or null for the first page
 */
public record CustomerQuery(UUID partnerId, UUID viewerId, UUID accountId, String search, Filter filter, Sort sort, int limit,
                            After after, Instant now) {
  /** The most customers one page holds (documented in openapi.yaml and README "API"). */
  public static final int PAGE_MAX = 100;
  public static final int PAGE_DEFAULT = 50;
  /** The page offers these sizes; the API takes any size from 1 to {@link #PAGE_MAX}. */
  public static final List<Integer> PAGE_SIZES = List.of(25, 50, 100);
  public static final int SEARCH_MAX = 100;
  /** A search's counts per filter count at most this many matches (beyond: "1000+", lower bounds). */
  public static final int SEARCH_COUNTED = 1000;
  /** "Expiring soon": access ends within this many days. */
  public static final int EXPIRING_DAYS = 14;
  static final String CURSOR_KIND = "customers";

  /** Which customers: the parameter value is {@link #param()}. */
  public enum Filter {
    ALL("all", "All"),
    ATTENTION("attention", "Needs attention"),
    ENABLED("enabled", "Enabled"),
    DISABLED("disabled", "Disabled"),
    EXPIRED("expired", "Expired"),
    REQUESTED("requested", "Access requested"),
    EXPIRING("expiring", "Expiring within " + EXPIRING_DAYS + " days");

    private final String param;
    private final String label;

    Filter(String param, String label) {
      this.param = param;
      this.label = label;
    }

    public String param() {
      return param;
    }

    public String label() {
      return label;
    }
  }

  /** The order: by name (A-Z), by expiry (soonest first, never-expiring last), by last access (latest first). */
  public enum Sort {
    NAME("name", "Name"),
    EXPIRY("expiry", "Expiry (soonest first)"),
    LAST_ACCESS("lastAccess", "Last access (latest first)");

    private final String param;
    private final String label;

    Sort(String param, String label) {
      this.param = param;
      this.label = label;
    }

    public String param() {
      return param;
    }

    public String label() {
      return label;
    }
  }

  /** The keyset position: the sort key of the last row shown (text as the cursor carries it) and its account id. */
  public record After(String key, UUID accountId) {}

  /** The moment "expiring soon" ends for this query. */
  public Instant soon() {
    return now.plus(Duration.ofDays(EXPIRING_DAYS));
  }

  /** Validates what a caller asked; every refusal is a 400 with a sentence. */
  static CustomerQuery parse(UUID partnerId, UUID viewerId, ConnectionService.ListCustomers request, Instant now) {
    String search = Input.optionalText(request.search(), "The search", SEARCH_MAX);
    Filter filter = param(Filter.values(), request.filter(), "filter", Filter.ALL, Filter::param);
    Sort sort = param(Sort.values(), request.sort(), "sort", Sort.NAME, Sort::param);
    int limit = Cursor.limit(request.limit(), PAGE_MAX, PAGE_DEFAULT);
    return new CustomerQuery(partnerId, viewerId, null, search, filter, sort, limit, after(request.cursor(), sort), now);
  }

  /** One customer of the partner, through the same query (and so the same visibility) as the list. */
  static CustomerQuery one(UUID partnerId, UUID viewerId, UUID accountId, Instant now) {
    return new CustomerQuery(partnerId, viewerId, accountId, null, Filter.ALL, Sort.NAME, 1, null, now);
  }

  /** The cursor that continues after {@code last} in this query's order. */
  String cursorAfter(CustomerView last) {
    String key = switch (sort) {
      case NAME -> last.businessName();
      case EXPIRY -> last.expiresAt() == null ? "infinity" : last.expiresAt().toString();
      case LAST_ACCESS -> last.lastAccessedAt() == null ? "-infinity" : last.lastAccessedAt().toString();
    };
    return Cursor.encode(CURSOR_KIND, sort.param(), key, last.accountId().toString());
  }

  private static After after(String cursor, Sort sort) {
    List<String> parts = Cursor.decode(cursor, CURSOR_KIND, 4);
    if (parts == null) {
      return null;
    }
    if (!sort.param().equals(parts.get(0))) {
      throw Problem.VALIDATION_FAILED.exception("cursor belongs to another sort order; start again from the first page");
    }
    try {
      String key = parts.get(1);
      if (sort != Sort.NAME && !key.endsWith("infinity")) {
        Instant.parse(key);
      }
      return new After(key, UUID.fromString(parts.get(2)));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw Cursor.refused();
    }
  }

  private static <E> E param(E[] values, String given, String label, E fallback,
                             java.util.function.Function<E, String> name) {
    if (given == null || given.isBlank()) {
      return fallback;
    }
    String v = given.strip();
    return Arrays.stream(values).filter(e -> name.apply(e).equalsIgnoreCase(v)).findFirst()
        .orElseThrow(() -> Problem.VALIDATION_FAILED.exception(label + " must be one of "
            + Arrays.stream(values).map(name).collect(Collectors.joining(", "))));
  }
}
