package com.partneraccess.connections;

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
 * composes them (lock first, then conditional updates so concurrent requests have one winner) with the
 * activity row, the banner and the NOTIFY of each change.
 */
public final class ConnectionRepository {
  /** {@code expires_at} is not written here: the trigger of V008 derives it (one writer). */
  static final String INSERT = """
      INSERT INTO connections (id, partner_id, account_id, origin, access, connected_at, enabled_at,
                               access_changed_at)
      SELECT $1, $2, $3, $4, $5, $6, $7, $6
        FROM accounts a WHERE a.id = $3""";

  static final String LOCK_LIVE = """
      SELECT c.id, c.access, c.expires_at, p.name AS partner_name, a.business_name, a.status AS account_status
        FROM connections c JOIN partners p ON p.id = c.partner_id JOIN accounts a ON a.id = c.account_id
       WHERE c.account_id = $1 AND c.partner_id = $2 AND c.disconnected_at IS NULL
         FOR UPDATE OF c""";

  /** Enabling sets {@code enabled_at} (R15); the trigger of V008 derives the new expiry from it. */
  static final String SET_ACCESS = """
      UPDATE connections c
         SET access = $2, access_changed_at = $3,
             enabled_at = CASE WHEN $2 = 'enabled' THEN $3 ELSE c.enabled_at END
       WHERE c.id = $1 AND c.disconnected_at IS NULL
      RETURNING c.expires_at""";

  static final String CANCEL_PENDING_REQUESTS = """
      UPDATE access_requests SET status = 'cancelled', decided_at = $2, decided_by = $3
       WHERE connection_id = $1 AND status = 'pending' RETURNING id""";

  static final String DISCONNECT = """
      UPDATE connections SET disconnected_at = $2, disconnected_by = $3, disconnect_reason = $4, access_changed_at = $2
       WHERE id = $1 AND disconnected_at IS NULL""";

  static final String INSERT_REQUEST = """
      INSERT INTO access_requests (id, connection_id, account_id, partner_id, status, requested_by, created_at)
      VALUES ($1, $2, $3, $4, 'pending', $5, $6)
      ON CONFLICT (connection_id) WHERE status = 'pending' DO NOTHING RETURNING id""";

  static final String PENDING_REQUEST = """
      SELECT id, created_at FROM access_requests WHERE connection_id = $1 AND status = 'pending'""";

  static final String DECIDE_REQUEST = """
      UPDATE access_requests r SET status = $3, decided_at = $4, decided_by = $5
       WHERE r.id = $1 AND r.account_id = $2 AND r.status = 'pending'
      RETURNING r.connection_id, r.partner_id""";

  static final String REQUEST_PARTNER = "SELECT partner_id FROM access_requests WHERE id = $1 AND account_id = $2";

  static final String PARTNER_NAME = "SELECT name FROM partners WHERE id = $1";

  static final String REQUEST_STATUS = "SELECT status FROM access_requests WHERE id = $1 AND account_id = $2";

  static final String PARTNER_CUSTOMERS = """
      SELECT c.id AS connection_id, c.account_id, a.business_name, a.plan, a.status AS account_status, a.job_count,
             a.hundredth_job_at, c.origin, c.access, c.connected_at, c.last_accessed_at, c.expires_at,
             (SELECT r.id FROM access_requests r WHERE r.connection_id = c.id AND r.status = 'pending') AS pending_request
        FROM connections c JOIN accounts a ON a.id = c.account_id
       WHERE c.partner_id = $1 AND c.disconnected_at IS NULL
       ORDER BY a.business_name, c.account_id""";

  static final String ACCOUNT_PARTNERS = """
      SELECT c.id AS connection_id, c.partner_id, p.name AS partner_name, c.origin, c.access, c.connected_at,
             c.last_accessed_at, c.expires_at,
             (SELECT r.id FROM access_requests r WHERE r.connection_id = c.id AND r.status = 'pending') AS pending_request
        FROM connections c JOIN partners p ON p.id = c.partner_id
       WHERE c.account_id = $1 AND c.disconnected_at IS NULL
       ORDER BY p.name""";

  static final String ACCOUNT_REQUESTS = """
      SELECT r.id, r.partner_id, p.name AS partner_name, r.status, r.created_at, r.decided_at
        FROM access_requests r JOIN partners p ON p.id = r.partner_id
       WHERE r.account_id = $1 AND ($2::text IS NULL OR r.status = $2)
       ORDER BY r.created_at DESC LIMIT 200""";

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
                               String partnerName, String businessName, String accountStatus) {}

  /** Locks the pair's live connection ({@code FOR UPDATE}); fails with NOT_CONNECTED when there is none. */
  public Future<LiveConnection> lockLive(SqlClient tx, UUID accountId, UUID partnerId) {
    return tx.preparedQuery(LOCK_LIVE).execute(Tuple.of(accountId, partnerId)).compose(rows -> {
      Row r = Sql.first(rows);
      if (r == null) {
        return Future.failedFuture(ConnectionTexts.notConnected());
      }
      return Future.succeededFuture(new LiveConnection(r.getUUID("id"), accountId, partnerId, r.getString("access"),
          r.getOffsetDateTime("expires_at"), r.getString("partner_name"), r.getString("business_name"),
          r.getString("account_status")));
    });
  }

  /** Sets the access of a live connection; returns the expiry the trigger of V008 derived (ISO, or null). */
  public Future<String> setAccess(SqlClient tx, UUID connectionId, String access, OffsetDateTime now) {
    return tx.preparedQuery(SET_ACCESS).execute(Tuple.of(connectionId, access, now))
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
                                       OffsetDateTime now) {
    return tx.preparedQuery(INSERT_REQUEST)
        .execute(Tuple.of(requestId, c.id(), c.accountId(), c.partnerId(), partnerUserId, now))
        .map(rows -> rows.size() > 0);
  }

  /** The connection's pending request. */
  public record PendingRequest(UUID id, String requestedAt) {}

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

  /** Decides a request if it is still pending ({@code status}: approved or denied); true when this call did. */
  public Future<Boolean> decideRequest(SqlClient tx, UUID requestId, UUID accountId, String status,
                                       OffsetDateTime now, UUID actorUserId) {
    return tx.preparedQuery(DECIDE_REQUEST).execute(Tuple.of(requestId, accountId, status, now, actorUserId))
        .map(rows -> Sql.first(rows) != null);
  }

  /** The status of a request of the account. */
  public Future<String> requestStatus(SqlClient tx, UUID requestId, UUID accountId) {
    return tx.preparedQuery(REQUEST_STATUS).execute(Tuple.of(requestId, accountId))
        .map(rows -> Sql.first(rows).getString("status"));
  }

  /** R4/R8: the partner's Customers page. */
  public Future<List<CustomerView>> customersOf(UUID partnerId) {
    return pool.preparedQuery(PARTNER_CUSTOMERS).execute(Tuple.of(partnerId)).map(rows -> {
      List<CustomerView> out = new ArrayList<>();
      var now = clock.now();
      rows.forEach(r -> out.add(CustomerView.from(r, now, jobThreshold)));
      return out;
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
                              String decidedAt) {}

  public Future<List<AccessRequest>> requestsOf(UUID accountId, String status) {
    return pool.preparedQuery(ACCOUNT_REQUESTS).execute(Tuple.of(accountId, status)).map(rows -> {
      List<AccessRequest> out = new ArrayList<>();
      rows.forEach(r -> out.add(new AccessRequest(r.getUUID("id"), r.getUUID("partner_id"), r.getString("partner_name"),
          r.getString("status"), Sql.iso(r, "created_at"), Sql.iso(r, "decided_at"))));
      return out;
    });
  }

  public Future<String> partnerName(UUID partnerId) {
    return pool.preparedQuery(PARTNER_NAME).execute(Tuple.of(partnerId))
        .map(rows -> Sql.first(rows) == null ? "the partner" : Sql.first(rows).getString("name"));
  }
}
