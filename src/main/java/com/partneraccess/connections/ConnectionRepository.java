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

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of connections and access requests (R4-R7, R15, R16, R18-R20): each method runs one statement and
 * returns a record. The statements that change something take the caller's transaction; {@link ConnectionService}
 * and {@link AccessRequestService} compose them (lock first, then conditional updates so concurrent requests have
 * one winner) with the activity row, the banner and the NOTIFY of each change.
 * The Customers list (its query builder, filters and counts) is in {@link CustomerListRepository}.
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

  public ConnectionRepository(Pool pool, AppClock clock) {
    this.pool = pool;
    this.clock = clock;
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
