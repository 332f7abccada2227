package com.partneraccess.connections;

import com.partneraccess.authz.TeamScope;
import com.partneraccess.bus.Cursor;
import com.partneraccess.bus.Problem;
import com.partneraccess.db.Sql;
import com.partneraccess.time.AppClock;
import com.partneraccess.webhooks.WebhookKind;
import com.partneraccess.webhooks.WebhookOutbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The SQL of connections and access requests (R4-R7, R15, R16, R18-R20): each method runs one statement and
 * returns a record. The statements that change something take the caller's transaction; {@link ConnectionService}
 * composes them (lock first, then conditional updates so concurrent requests have one winner) with the
 * activity row, the banner and the NOTIFY of each change.
 * Over 400 lines because the Customers list query builder ({@code customerWhere}, filters, counts) lives here
 * next to the statements it shares columns with; the planned split moves it, with {@link CustomerQuery}, into a
 * CustomerListRepository.
 */
public final class ConnectionRepository {
  /** {@code expires_at} is not written here: the trigger of V008 derives it (one writer). */
  static final String INSERT = """
      INSERT INTO connections (id, partner_id, account_id, origin, access, connected_at, enabled_at,
                               access_changed_at)
      SELECT $1, $2, $3, $4, $5, $6, $7, $6
        FROM accounts a WHERE a.id = $3""";

  static final String LOCK_LIVE = """
      SELECT c.id, c.access, c.expires_at, p.name AS partner_name, a.business_name, a.status AS account_status,
             c.grant_ends_at
        FROM connections c JOIN partners p ON p.id = c.partner_id JOIN accounts a ON a.id = c.account_id
       WHERE c.account_id = $1 AND c.partner_id = $2 AND c.disconnected_at IS NULL
         FOR UPDATE OF c""";

  /**
   * Enabling sets {@code enabled_at} (R15) and the grant in force (R29: $4 end, $5 days, $6 approver; all null when
   * the owner enables directly, which clears any grant); the trigger of V008/V080 derives the new expiry from them.
   */
  static final String SET_ACCESS = """
      UPDATE connections c
         SET access = $2, access_changed_at = $3,
             enabled_at = CASE WHEN $2 = 'enabled' THEN $3 ELSE c.enabled_at END,
             grant_ends_at = CASE WHEN $2 = 'enabled' THEN $4::timestamptz ELSE c.grant_ends_at END,
             grant_days = CASE WHEN $2 = 'enabled' THEN $5::int ELSE c.grant_days END,
             grant_approved_by = CASE WHEN $2 = 'enabled' THEN $6::uuid ELSE c.grant_approved_by END
       WHERE c.id = $1 AND c.disconnected_at IS NULL
      RETURNING c.expires_at""";

  static final String CANCEL_PENDING_REQUESTS = """
      UPDATE access_requests SET status = 'cancelled', decided_at = $2, decided_by = $3
       WHERE connection_id = $1 AND status = 'pending' RETURNING id""";

  static final String DISCONNECT = """
      UPDATE connections SET disconnected_at = $2, disconnected_by = $3, disconnect_reason = $4, access_changed_at = $2
       WHERE id = $1 AND disconnected_at IS NULL""";

  static final String INSERT_REQUEST = """
      INSERT INTO access_requests (id, connection_id, account_id, partner_id, status, requested_by, created_at,
                                   reason, requested_days)
      VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8)
      ON CONFLICT (connection_id) WHERE status = 'pending' DO NOTHING RETURNING id""";

  static final String PENDING_REQUEST = """
      SELECT id, created_at FROM access_requests WHERE connection_id = $1 AND status = 'pending'""";

  /** $6 the owner's own length in days (R29), used when $7 is false; true: the length the partner asked for. */
  static final String DECIDE_REQUEST = """
      UPDATE access_requests r SET status = $3, decided_at = $4, decided_by = $5,
             granted_days = CASE WHEN $3 = 'approved' THEN (CASE WHEN $7::boolean THEN r.requested_days ELSE $6::int END)
                            END
       WHERE r.id = $1 AND r.account_id = $2 AND r.status = 'pending'
      RETURNING r.connection_id, r.partner_id, r.granted_days""";

  /** The partner takes back its pending request on the connection (R16): only a pending one, once. */
  static final String WITHDRAW_REQUEST = """
      UPDATE access_requests SET status = 'cancelled', decided_at = $3, decided_by = $4
       WHERE connection_id = $1 AND partner_id = $2 AND status = 'pending'
      RETURNING id""";

  static final String REQUEST_PARTNER = "SELECT partner_id FROM access_requests WHERE id = $1 AND account_id = $2";

  static final String PARTNER_NAME = "SELECT name FROM partners WHERE id = $1";

  /** R28: whether the teammate may act on this customer ({@link TeamScope}); no row: not connected. */
  static final String IN_TEAM_SCOPE = "SELECT a.business_name, " + TeamScope.visibleTo("$3") + " AS in_scope"
      + " FROM connections c JOIN accounts a ON a.id = c.account_id"
      + " WHERE c.partner_id = $1 AND c.account_id = $2 AND c.disconnected_at IS NULL";

  static final String REQUEST_STATUS = "SELECT status FROM access_requests WHERE id = $1 AND account_id = $2";

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

  static final String ACCOUNT_PARTNERS = """
      SELECT c.id AS connection_id, c.partner_id, p.name AS partner_name, c.origin, c.access, c.connected_at,
             c.last_accessed_at, c.expires_at,
             (SELECT r.id FROM access_requests r WHERE r.connection_id = c.id AND r.status = 'pending') AS pending_request
        FROM connections c JOIN partners p ON p.id = c.partner_id
       WHERE c.account_id = $1 AND c.disconnected_at IS NULL
       ORDER BY p.name LIMIT 200""";

  static final String ACCOUNT_REQUESTS = """
      SELECT r.id, r.partner_id, p.name AS partner_name, r.status, r.created_at, r.decided_at, r.reason,
             r.requested_days, r.granted_days
        FROM access_requests r JOIN partners p ON p.id = r.partner_id
       WHERE r.account_id = $1 AND ($2::text IS NULL OR r.status = $2)
         AND ($3::timestamptz IS NULL OR (r.created_at, r.id) < ($3::timestamptz, $4::uuid))
       ORDER BY r.created_at DESC, r.id DESC LIMIT $5""";
  static final String REQUESTS_CURSOR = "requests";

  private final Pool pool;
  private final AppClock clock;
  private final int jobThreshold;

  public ConnectionRepository(Pool pool, AppClock clock, int jobThreshold) {
    this.pool = pool;
    this.clock = clock;
    this.jobThreshold = jobThreshold;
  }

  /** Creates a live connection inside {@code tx}; a second live connection of the same pair is refused (R1). */
  public static Future<UUID> insert(SqlClient tx, UUID partnerId, UUID accountId, String origin, String access,
                                    OffsetDateTime now) {
    UUID id = UUID.randomUUID();
    OffsetDateTime enabledAt = "enabled".equals(access) ? now : null;
    return tx.preparedQuery(INSERT).execute(Tuple.of(id, partnerId, accountId, origin, access, now, enabledAt))
        .recover(err -> Future.failedFuture(Sql.uniqueAs("connections_live", Problem.ALREADY_CONNECTED,
            "The partner is already connected to this account").apply(err)))
        .compose(r -> WebhookOutbox.record(tx, WebhookKind.CONNECTION_CREATED, id, accountId, partnerId,
            new JsonObject().put("origin", origin).put("access", access), now))
        .map(r -> id);
  }

  /** The live connection of a pair, locked for the rest of {@code tx}; every change takes this lock first. */
  public record LiveConnection(UUID id, UUID accountId, UUID partnerId, String access, OffsetDateTime expiresAt,
                               String partnerName, String businessName, String accountStatus,
                               OffsetDateTime grantEndsAt) {}

  /** Locks the pair's live connection ({@code FOR UPDATE}); fails with NOT_CONNECTED when there is none. */
  public Future<LiveConnection> lockLive(SqlClient tx, UUID accountId, UUID partnerId) {
    return tx.preparedQuery(LOCK_LIVE).execute(Tuple.of(accountId, partnerId)).compose(rows -> {
      Row r = Sql.first(rows);
      if (r == null) {
        return Future.failedFuture(ConnectionTexts.notConnected());
      }
      return Future.succeededFuture(new LiveConnection(r.getUUID("id"), accountId, partnerId, r.getString("access"),
          r.getOffsetDateTime("expires_at"), r.getString("partner_name"), r.getString("business_name"),
          r.getString("account_status"), r.getOffsetDateTime("grant_ends_at")));
    });
  }

  /**
   * Sets the access of a live connection; enabling clears any grant (R29: the owner enabled directly). Returns the
   * expiry the trigger of V008/V080 derived (ISO, or null).
   */
  public Future<String> setAccess(SqlClient tx, UUID connectionId, String access, OffsetDateTime now) {
    return enable(tx, connectionId, access, now, GrantLength.UNTIL_RULE, null);
  }

  /** R29: enables access for {@code length} from {@code now}, approved by {@code approverUserId}. */
  public Future<String> grant(SqlClient tx, UUID connectionId, OffsetDateTime now, GrantLength length,
                              UUID approverUserId) {
    return enable(tx, connectionId, "enabled", now, length, approverUserId);
  }

  private Future<String> enable(SqlClient tx, UUID connectionId, String access, OffsetDateTime now,
                                GrantLength length, UUID approverUserId) {
    boolean granted = length.days != null;
    return tx.preparedQuery(SET_ACCESS).execute(Tuple.from(new Object[] {connectionId, access, now,
            length.endFrom(now), length.days, granted ? approverUserId : null}))
        .map(rows -> Sql.iso(Sql.first(rows), "expires_at"));
  }

  /** Cancels the connection's pending requests; returns their ids. */
  public Future<List<UUID>> cancelPendingRequests(SqlClient tx, UUID connectionId, OffsetDateTime now,
                                                  UUID actorUserId) {
    return tx.preparedQuery(CANCEL_PENDING_REQUESTS).execute(Tuple.of(connectionId, now, actorUserId)).map(rows -> {
      List<UUID> ids = new ArrayList<>();
      rows.forEach(r -> ids.add(r.getUUID("id")));
      return ids;
    });
  }

  /** Ends a live connection ({@code by}: customer or partner; the reason may be null). */
  public Future<Void> disconnect(SqlClient tx, UUID connectionId, OffsetDateTime now, String by, String reason) {
    return tx.preparedQuery(DISCONNECT).execute(Tuple.of(connectionId, now, by, reason)).mapEmpty();
  }

  /** Inserts a pending request unless one is pending already; true when this call created it. */
  public Future<Boolean> insertRequest(SqlClient tx, UUID requestId, LiveConnection c, UUID partnerUserId,
                                       OffsetDateTime now, String reason, GrantLength length) {
    return tx.preparedQuery(INSERT_REQUEST)
        .execute(Tuple.from(new Object[] {requestId, c.id(), c.accountId(), c.partnerId(), partnerUserId, now, reason,
            length.days}))
        .map(rows -> rows.size() > 0);
  }

  /** The connection's pending request. */
  public record PendingRequest(UUID id, String requestedAt) {}

  /** Cancels the connection's pending request of this partner; the request's id, or null when none was pending. */
  public Future<UUID> withdrawRequest(SqlClient tx, LiveConnection c, UUID partnerUserId, OffsetDateTime now) {
    return tx.preparedQuery(WITHDRAW_REQUEST).execute(Tuple.of(c.id(), c.partnerId(), now, partnerUserId))
        .map(rows -> Sql.first(rows) == null ? null : Sql.first(rows).getUUID("id"));
  }

  public Future<PendingRequest> pendingRequest(SqlClient tx, UUID connectionId) {
    return tx.preparedQuery(PENDING_REQUEST).execute(Tuple.of(connectionId)).map(rows -> {
      Row r = Sql.first(rows);
      return new PendingRequest(r.getUUID("id"), Sql.iso(r, "created_at"));
    });
  }

  /** The partner who made a request of the account; null when the account has no such request. */
  public Future<UUID> requestPartner(SqlClient tx, UUID requestId, UUID accountId) {
    return tx.preparedQuery(REQUEST_PARTNER).execute(Tuple.of(requestId, accountId)).map(rows -> {
      Row r = Sql.first(rows);
      return r == null ? null : r.getUUID("partner_id");
    });
  }

  /**
   * Decides a request if it is still pending ({@code status}: approved or denied), approving for {@code length}
   * (null: the length the partner asked for, R29). Returns the length granted, or null when the request was no
   * longer pending (another decision won).
   */
  public Future<GrantLength> decideRequest(SqlClient tx, UUID requestId, UUID accountId, String status,
                                           OffsetDateTime now, UUID actorUserId, GrantLength length) {
    return tx.preparedQuery(DECIDE_REQUEST).execute(Tuple.from(new Object[] {requestId, accountId, status, now,
            actorUserId, length == null ? null : length.days, length == null}))
        .map(rows -> {
          Row r = Sql.first(rows);
          return r == null ? null : GrantLength.ofDays(r.getInteger("granted_days"));
        });
  }

  /** The status of a request of the account. */
  public Future<String> requestStatus(SqlClient tx, UUID requestId, UUID accountId) {
    return tx.preparedQuery(REQUEST_STATUS).execute(Tuple.of(requestId, accountId))
        .map(rows -> Sql.first(rows).getString("status"));
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
   * R28: refuses a member acting on a connected customer not assigned to it (NOT_ASSIGNED); a customer the partner
   * is not connected to passes, and the operation itself says so.
   */
  public Future<Void> requireInTeamScope(UUID partnerId, UUID accountId, UUID userId) {
    return pool.preparedQuery(IN_TEAM_SCOPE).execute(Tuple.of(partnerId, accountId, userId)).compose(rows -> {
      Row r = Sql.first(rows);
      return r == null || Boolean.TRUE.equals(r.getBoolean("in_scope")) ? Future.succeededFuture()
          : Future.failedFuture(Problem.NOT_ASSIGNED.exception(r.getString("business_name")
              + " is not assigned to you; ask an admin of your organisation to assign it"));
    });
  }

  /**
   * How many customers each filter shows, for the same partner and search as {@code q} (its filter and page aside).
   * Without a search: one pass over the partner's connections, no joins. With a search: over the first
   * {@link CustomerQuery#SEARCH_COUNTED} matches only (bounded work however common the words are); more matches
   * make the counts lower bounds ({@link CustomerCounts#capped()}).
   */
  public Future<CustomerCounts> customerCounts(CustomerQuery q) {
    Statement st = customerWhere(q);
    Object[] filters = java.util.Arrays.stream(new CustomerQuery.Filter[] {CustomerQuery.Filter.ATTENTION,
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
          java.util.function.ToIntFunction<String> n = column -> capped
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
  private static final class Statement {
    final StringBuilder sql = new StringBuilder();
    final List<Object> params = new ArrayList<>();
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

    /** The partner's own parameter again (the first one), typed for reuse inside sub-selects. */
    String partner() {
      return "$1::uuid";
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
  private static Statement customerWhere(CustomerQuery q) {
    Statement st = new Statement(q);
    st.sql.append("\n WHERE c.partner_id = ").append(st.p(q.partnerId())).append(" AND c.disconnected_at IS NULL");
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
  private static String filterSql(CustomerQuery.Filter filter, Statement st) {
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

  /** R4: the partners shown in the customer's staff list. */
  public Future<List<PartnerView>> partnersOf(UUID accountId) {
    return pool.preparedQuery(ACCOUNT_PARTNERS).execute(Tuple.of(accountId)).map(rows -> {
      List<PartnerView> out = new ArrayList<>();
      var now = clock.now();
      rows.forEach(r -> out.add(PartnerView.from(r, now)));
      return out;
    });
  }

  /** An access request as the customer's list shows it. */
  public record AccessRequest(UUID id, UUID partnerId, String partnerName, String status, String requestedAt,
                              String decidedAt, String reason, GrantLength length, GrantLength granted) {}

  /** A page of access requests and the cursor of the next page (null on the last). */
  public record RequestPage(List<AccessRequest> requests, String nextCursor) {}

  public Future<RequestPage> requestsOf(UUID accountId, String status, Cursor.TimeKey after, int limit) {
    return pool.preparedQuery(ACCOUNT_REQUESTS).execute(Tuple.of(accountId, status, after == null ? null : after.at(),
        after == null ? null : after.id(), limit + 1)).map(rows -> {
          List<AccessRequest> out = new ArrayList<>();
          String next = null;
          for (Row r : rows) {
            if (out.size() == limit) {
              AccessRequest last = out.get(out.size() - 1);
              next = Cursor.timeKey(REQUESTS_CURSOR, last.requestedAt(), last.id());
              break;
            }
            out.add(new AccessRequest(r.getUUID("id"), r.getUUID("partner_id"), r.getString("partner_name"),
                r.getString("status"), Sql.iso(r, "created_at"), Sql.iso(r, "decided_at"), r.getString("reason"),
                GrantLength.ofDays(r.getInteger("requested_days")),
                "approved".equals(r.getString("status")) ? GrantLength.ofDays(r.getInteger("granted_days")) : null));
          }
          return new RequestPage(out, next);
        });
  }

  public Future<String> partnerName(UUID partnerId) {
    return pool.preparedQuery(PARTNER_NAME).execute(Tuple.of(partnerId))
        .map(rows -> Sql.first(rows) == null ? "the partner" : Sql.first(rows).getString("name"));
  }
}
