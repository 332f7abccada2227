package com.partneraccess.connections;

import com.partneraccess.authz.TeamScope;
import com.partneraccess.bus.Problem;
import com.partneraccess.db.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.ToIntFunction;

/**
 * R4/R8/R28: the SQL of a partner's Customers list: one page of it, its counts per filter and the single-customer
 * lookup, all built from one validated {@link CustomerQuery} by one where-clause builder ({@link #customerWhere}),
 * so search, filters, team scope and sorts cannot drift between them. Reads only; returns records.
 */
public final class CustomerListRepository {
  /** The customer list's columns (R4, R8, R12): the pending request decides Request access / Access requested (R16). */
  static final String CUSTOMER_COLUMNS = """
      SELECT c.id AS connection_id, c.account_id, a.business_name, a.plan, a.status AS account_status, a.job_count,
             a.hundredth_job_at, c.origin, c.access, c.connected_at, c.last_accessed_at, c.expires_at,
             o.email AS owner_email,
             c.grant_ends_at, c.grant_days, (SELECT u.name FROM users u WHERE u.id = c.grant_approved_by) AS grant_approver,
             (SELECT r.id FROM access_requests r WHERE r.connection_id = c.id AND r.status = 'pending') AS pending_request,
             (SELECT r.created_at FROM access_requests r WHERE r.connection_id = c.id AND r.status = 'pending')
               AS pending_request_at,
             c.enabled_at IS NOT NULL AS ever_enabled
        FROM connections c""";

  /** The list's joins: the account (name, plan) and its owner (e-mail); the counts need neither without a search. */
  static final String CUSTOMER_JOINS = " JOIN accounts a ON a.id = c.account_id"
      + " LEFT JOIN users o ON o.account_id = c.account_id AND o.role = 'owner'";

  static final String CUSTOMER_COUNT_COLUMNS = """
      SELECT count(*) AS all_count, count(*) FILTER (WHERE %s) AS attention, count(*) FILTER (WHERE %s) AS enabled,
             count(*) FILTER (WHERE %s) AS disabled, count(*) FILTER (WHERE %s) AS expired,
             count(*) FILTER (WHERE %s) AS requested, count(*) FILTER (WHERE %s) AS expiring""";

  private final Pool pool;
  private final int jobThreshold;

  public CustomerListRepository(Pool pool, int jobThreshold) {
    this.pool = pool;
    this.jobThreshold = jobThreshold;
  }

  /** One page of a partner's customers and the cursor of the next page (null on the last). */
  public record CustomerPage(List<CustomerView> customers, String nextCursor) {}

  /**
   * R4/R8: one page of the partner's Customers list as {@code q} asks: search, filter, sort, keyset position and
   * size. The statement is built here and only here ({@link #customerWhere}), from the validated query record.
   */
  public Future<CustomerPage> customerPage(CustomerQuery q) {
    Statement st = customerWhere(q);
    st.sql.append(" AND ").append(filterSql(q.filter(), st));
    // name order follows the accounts (business_name, id) index of V120 (a.id = c.account_id): a page reads its rows
    String key = switch (q.sort()) {
      case NAME -> "a.business_name";
      case EXPIRY -> "COALESCE(c.expires_at, 'infinity'::timestamptz)";
      case LAST_ACCESS -> "COALESCE(c.last_accessed_at, '-infinity'::timestamptz)";
    };
    String tieBreak = q.sort() == CustomerQuery.Sort.NAME ? "a.id" : "c.account_id";
    boolean descending = q.sort() == CustomerQuery.Sort.LAST_ACCESS;
    if (q.after() != null) {
      String keyParam = q.sort() == CustomerQuery.Sort.NAME ? st.p(q.after().key()) + "::text"
          : st.p(q.after().key()) + "::text::timestamptz";
      st.sql.append(" AND (").append(key).append(", ").append(tieBreak).append(") ").append(descending ? "<" : ">")
          .append(" (").append(keyParam).append(", ").append(st.p(q.after().accountId())).append("::uuid)");
    }
    String dir = descending ? " DESC" : "";
    st.sql.append(" ORDER BY ").append(key).append(dir).append(", ").append(tieBreak).append(dir)
        .append(" LIMIT ").append(st.p(q.limit() + 1));
    return pool.preparedQuery(planFor(q) + CUSTOMER_COLUMNS + CUSTOMER_JOINS + st.sql).execute(Tuple.from(st.params)).map(rows -> {
      List<CustomerView> out = new ArrayList<>();
      Instant now = q.now();
      String next = null;
      for (Row r : rows) {
        if (out.size() == q.limit()) {
          next = q.cursorAfter(out.get(out.size() - 1));
          break;
        }
        out.add(CustomerView.from(r, now, jobThreshold));
      }
      return new CustomerPage(out, next);
    });
  }

  /**
   * One connected customer of the partner, through the list's own query (so the same visibility: R28); fails with
   * NOT_CONNECTED when the partner (or the viewing teammate) does not see it.
   */
  public Future<CustomerView> customer(UUID partnerId, UUID viewerId, UUID accountId, Instant now) {
    return customerPage(CustomerQuery.one(partnerId, viewerId, accountId, now)).map(page -> page.customers().stream()
        .findFirst().orElseThrow(() -> Problem.NOT_CONNECTED.exception("You are not connected to this customer")));
  }

  /**
   * How many customers each filter shows, for the same partner and search as {@code q} (its filter and page aside).
   * Without a search: one pass over the partner's connections, no joins. With a search: over the first
   * {@link CustomerQuery#SEARCH_COUNTED} matches only (bounded work however common the words are); more matches
   * make the counts lower bounds ({@link CustomerCounts#capped()}).
   */
  public Future<CustomerCounts> customerCounts(CustomerQuery q) {
    Statement st = customerWhere(q);
    Object[] filters = Arrays.stream(new CustomerQuery.Filter[] {CustomerQuery.Filter.ATTENTION,
        CustomerQuery.Filter.ENABLED, CustomerQuery.Filter.DISABLED, CustomerQuery.Filter.EXPIRED,
        CustomerQuery.Filter.REQUESTED, CustomerQuery.Filter.EXPIRING}).map(f -> filterSql(f, st)).toArray();
    String from = q.search() == null ? " FROM connections c" + st.sql
        : " FROM (SELECT c.id, c.access, c.expires_at FROM connections c JOIN accounts a ON a.id = c.account_id"
            + st.sql + " LIMIT " + (CustomerQuery.SEARCH_COUNTED + 1) + ") c";
    return pool.preparedQuery(planFor(q) + CUSTOMER_COUNT_COLUMNS.formatted(filters) + from)
        .execute(Tuple.from(st.params))
        .map(rows -> {
          Row r = Sql.first(rows);
          boolean capped = q.search() != null && r.getInteger("all_count") > CustomerQuery.SEARCH_COUNTED;
          // capped: each count (of the first 1,001 matches) is kept at most 1,000, still a lower bound
          ToIntFunction<String> n = column -> capped
              ? Math.min(r.getInteger(column), CustomerQuery.SEARCH_COUNTED) : r.getInteger(column);
          return new CustomerCounts(n.applyAsInt("all_count"), n.applyAsInt("attention"), n.applyAsInt("enabled"),
              n.applyAsInt("disabled"), n.applyAsInt("expired"), n.applyAsInt("requested"), n.applyAsInt("expiring"),
              capped);
        });
  }

  /** A search is planned with its own words (a rare one reads by index, a common one in order); a list is kept. */
  private static String planFor(CustomerQuery q) {
    return q.search() == null ? "" : Sql.PLAN_PER_CALL;
  }

  /** A statement being built: its SQL after the columns and its parameters ($1, $2 … in order). */
  static final class Statement {
    final StringBuilder sql = new StringBuilder();
    final List<Object> params = new ArrayList<>();
    private String partner;
    private String now;
    private String soon;
    private final CustomerQuery query;

    Statement(CustomerQuery query) {
      this.query = query;
    }

    /** Adds a parameter; returns its placeholder. */
    String p(Object value) {
      params.add(value);
      return "$" + params.size();
    }

    /**
     * The partner's parameter, added on first use and the same placeholder every time after (the partner clause and
     * the sub-selects that repeat it), typed for reuse inside sub-selects: no clause assumes where it stands.
     */
    String partner() {
      if (partner == null) {
        partner = p(query.partnerId()) + "::uuid";
      }
      return partner;
    }

    String now() {
      if (now == null) {
        now = p(query.now().atOffset(ZoneOffset.UTC)) + "::timestamptz";
      }
      return now;
    }

    String soon() {
      if (soon == null) {
        soon = p(query.soon().atOffset(ZoneOffset.UTC)) + "::timestamptz";
      }
      return soon;
    }
  }

  /**
   * THE customers a partner sees, for the list, its counts and the single-customer lookup alike: its live
   * connections, optionally one account, optionally matching the search (business name or owner e-mail, "contains",
   * case-insensitive; trigram indexes of V050). A further visibility rule is one more clause here.
   */
  static Statement customerWhere(CustomerQuery q) {
    Statement st = new Statement(q);
    st.sql.append("\n WHERE c.partner_id = ").append(st.partner()).append(" AND c.disconnected_at IS NULL");
    // R28: a member sees only the customers assigned to it
    st.sql.append(" AND ").append(TeamScope.visibleTo(st.p(q.viewerId())));
    if (q.accountId() != null) {
      st.sql.append(" AND c.account_id = ").append(st.p(q.accountId()));
    }
    if (q.search() != null) {
      String pattern = st.p("%" + likeEscape(q.search().toLowerCase(Locale.ROOT)) + "%");
      // the owner's e-mail as a set of accounts (its trigram index), so the test is on the account row alone and
      // the planner can read a page in name order and stop, or read the few matches by index (V050)
      st.sql.append(" AND (a.business_name ILIKE ").append(pattern)
          .append(" OR a.id IN (SELECT ow.account_id FROM users ow WHERE ow.role = 'owner' AND lower(ow.email) LIKE ")
          .append(pattern).append("))");
    }
    return st;
  }

  /** A filter on the access as it is now (R14: enabled past its expiry counts as expired before the sweep). */
  static String filterSql(CustomerQuery.Filter filter, Statement st) {
    return switch (filter) {
      case ALL -> "TRUE";
      case ENABLED -> "(c.access = 'enabled' AND (c.expires_at IS NULL OR c.expires_at > " + st.now() + "))";
      case DISABLED -> "c.access = 'disabled'";
      case EXPIRED -> "(c.access = 'expired' OR (c.access = 'enabled' AND c.expires_at <= " + st.now() + "))";
      // the partner's pending requests as one hashed set (access_requests_partner_pending), not a probe per row
      case REQUESTED -> "c.id IN (SELECT r.connection_id FROM access_requests r WHERE r.partner_id = "
          + st.partner() + " AND r.status = 'pending')";
      case EXPIRING -> "(c.access = 'enabled' AND c.expires_at > " + st.now() + " AND c.expires_at <= " + st.soon() + ")";
      case ATTENTION -> "(" + filterSql(CustomerQuery.Filter.EXPIRING, st) + " OR "
          + filterSql(CustomerQuery.Filter.EXPIRED, st) + " OR " + filterSql(CustomerQuery.Filter.REQUESTED, st) + ")";
    };
  }

  /** The search as a LIKE "contains" pattern: its own %, _ and \\ match themselves. */
  static String likeEscape(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
