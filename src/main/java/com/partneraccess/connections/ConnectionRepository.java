package com.partneraccess.connections;

import com.partneraccess.access.ExpiryRule;
import com.partneraccess.activity.ActivityLog;
import com.partneraccess.banner.BannerKind;
import com.partneraccess.banner.BannerStore;
import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import com.partneraccess.db.Sql;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Connections between partners and customer accounts and every change of their access (R4-R7, R15,
 * R16, R18-R20). Each change is one transaction: a conditional update so concurrent requests have one
 * winner, its activity row (R23), its banner (R17) and, for access changes, a NOTIFY on {@code access_changes}
 * ({@link AccessChanges}); banners and notifications are delivered only if the transaction commits.
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

  static final String DISMISS_REQUEST_BANNERS = """
      UPDATE banners SET dismissed_at = $2 WHERE request_id = ANY($1::uuid[]) AND dismissed_at IS NULL""";

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
        .map(r -> id);
  }

  /** The change an operation made, for the caller to publish after commit. */
  public record Change(UUID connectionId, UUID accountId, UUID partnerId, String access, boolean disconnected,
                       String expiresAt) {}

  private record Locked(UUID id, String access, String partnerName, String businessName, OffsetDateTime expiresAt,
                        String accountStatus) {}

  private static Future<Locked> lockLive(SqlConnection tx, UUID accountId, UUID partnerId) {
    return tx.preparedQuery(LOCK_LIVE).execute(Tuple.of(accountId, partnerId)).compose(rows -> {
      Row r = Sql.first(rows);
      if (r == null) {
        return Future.failedFuture(Problem.NOT_CONNECTED.exception("This partner is not connected to the account"));
      }
      return Future.succeededFuture(new Locked(r.getUUID("id"), r.getString("access"), r.getString("partner_name"),
          r.getString("business_name"), r.getOffsetDateTime("expires_at"), r.getString("account_status")));
    });
  }

  /** R7/R15: the customer enables or disables a partner's access. Setting the state it already has changes nothing. */
  public Future<Change> setAccess(UUID accountId, UUID partnerId, boolean enable, UUID actorUserId) {
    OffsetDateTime now = clock.nowUtc();
    String target = enable ? "enabled" : "disabled";
    return pool.withTransaction(tx -> lockLive(tx, accountId, partnerId).compose(c -> {
      boolean effectivelyEnabled = "enabled".equals(ExpiryRule.effectiveAccess(c.access(), instant(c.expiresAt()),
          now.toInstant()));
      if (enable ? effectivelyEnabled : "disabled".equals(c.access())) {
        return Future.succeededFuture(new Change(c.id(), accountId, partnerId, c.access(), false,
            c.expiresAt() == null ? null : c.expiresAt().toInstant().toString()));
      }
      return tx.preparedQuery(SET_ACCESS).execute(Tuple.of(c.id(), target, now)).compose(rows -> {
        String expires = Sql.iso(Sql.first(rows), "expires_at");
        Future<Void> requests = enable ? resolvePendingRequests(tx, c.id(), now, actorUserId) : Future.succeededFuture();
        return requests
            .compose(v -> ActivityLog.record(tx, accountId, now, enable ? "access.enabled" : "access.disabled",
                actorUserId, partnerId, (enable ? "Enabled" : "Disabled") + " access for partner " + c.partnerName()))
            .compose(v -> BannerStore.raise(tx, enable ? BannerKind.ACCESS_ENABLED : BannerKind.ACCESS_DISABLED,
                accountId, partnerId, c.businessName() + (enable ? " enabled your access" : " disabled your access"),
                null, now))
            .compose(b -> AccessChanges.notify(tx, new Change(c.id(), accountId, partnerId, target, false, expires), now));
      });
    }));
  }

  /** Enabling directly settles any pending request: it is cancelled and its banner dismissed. */
  private static Future<Void> resolvePendingRequests(SqlConnection tx, UUID connectionId, OffsetDateTime now,
                                                     UUID actorUserId) {
    return tx.preparedQuery(CANCEL_PENDING_REQUESTS).execute(Tuple.of(connectionId, now, actorUserId))
        .compose(rows -> {
          List<UUID> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(r.getUUID("id")));
          if (ids.isEmpty()) {
            return Future.succeededFuture();
          }
          return tx.preparedQuery(DISMISS_REQUEST_BANNERS).execute(Tuple.of(ids.toArray(UUID[]::new), now)).mapEmpty();
        });
  }

  /** Result of a request for access: the pending request and whether this call created it. */
  public record RequestOutcome(UUID requestId, boolean created, String requestedAt) {}

  /**
   * R16/R20: a connected partner whose access is disabled or expired asks for access. One pending request
   * per connection: asking again returns the pending one and changes nothing.
   */
  public Future<RequestOutcome> requestAccess(UUID partnerId, UUID accountId, UUID partnerUserId) {
    OffsetDateTime now = clock.nowUtc();
    return pool.withTransaction(tx -> lockLive(tx, accountId, partnerId).compose(c -> {
      if ("cancelled".equals(c.accountStatus())) {
        return Future.failedFuture(Problem.ACCOUNT_CANCELLED.exception(
            c.businessName() + " cancelled its account; there is nothing to request access to"));
      }
      boolean enabledNow = "enabled".equals(ExpiryRule.effectiveAccess(c.access(), instant(c.expiresAt()),
          now.toInstant()));
      if (enabledNow) {
        return Future.failedFuture(Problem.ACCESS_ALREADY_ENABLED.exception(
            "Your access to " + c.businessName() + " is enabled: use Log in"));
      }
      UUID id = UUID.randomUUID();
      return tx.preparedQuery(INSERT_REQUEST).execute(Tuple.of(id, c.id(), accountId, partnerId, partnerUserId, now))
          .compose(rows -> {
            if (rows.size() == 0) {
              return tx.preparedQuery(PENDING_REQUEST).execute(Tuple.of(c.id())).map(existing -> {
                Row r = Sql.first(existing);
                return new RequestOutcome(r.getUUID("id"), false, Sql.iso(r, "created_at"));
              });
            }
            return ActivityLog.record(tx, accountId, now, "access.requested", partnerUserId, partnerId,
                    c.partnerName() + " requested access")
                .compose(v -> BannerStore.raise(tx, BannerKind.ACCESS_REQUESTED, accountId, partnerId,
                    c.partnerName() + " has requested access to your account", id, now))
                .map(b -> new RequestOutcome(id, true, now.toInstant().toString()));
          });
    }));
  }

  /**
   * R16/R15: approve (enables access, restarts the 60 days) or deny (leaves access as it was). The
   * connection row is locked first, as every other change does, so concurrent decisions queue and exactly
   * one finds the request pending; the others are refused with REQUEST_NOT_PENDING.
   */
  public Future<Change> decide(UUID accountId, UUID requestId, boolean approve, UUID actorUserId) {
    OffsetDateTime now = clock.nowUtc();
    String status = approve ? "approved" : "denied";
    return pool.withTransaction(tx -> tx.preparedQuery(REQUEST_PARTNER).execute(Tuple.of(requestId, accountId))
        .compose(found -> {
          Row req = Sql.first(found);
          if (req == null) {
            return Future.failedFuture(Problem.NOT_FOUND.exception("No such access request"));
          }
          UUID partnerId = req.getUUID("partner_id");
          return lockLive(tx, accountId, partnerId)
              .recover(err -> Future.failedFuture(Problem.REQUEST_NOT_PENDING.exception(
                  "The partner is no longer connected; the request was cancelled")))
              .compose(c -> tx.preparedQuery(DECIDE_REQUEST)
                  .execute(Tuple.of(requestId, accountId, status, now, actorUserId))
                  .compose(rows -> {
                    if (Sql.first(rows) == null) {
                      return tx.preparedQuery(REQUEST_STATUS).execute(Tuple.of(requestId, accountId))
                          .compose(s -> Future.failedFuture(Problem.REQUEST_NOT_PENDING.exception(
                              "The access request was already " + Sql.first(s).getString("status"))));
                    }
                    Future<String> access = approve
                        ? tx.preparedQuery(SET_ACCESS).execute(Tuple.of(c.id(), "enabled", now)).map(x -> "enabled")
                        : Future.succeededFuture(c.access());
                    return access
                        .compose(a -> tx.preparedQuery(DISMISS_REQUEST_BANNERS)
                            .execute(Tuple.of(new UUID[] {requestId}, now)).map(x -> a))
                        .compose(a -> ActivityLog.record(tx, accountId, now,
                                approve ? "request.approved" : "request.denied", actorUserId, partnerId,
                                (approve ? "Approved" : "Denied") + " the access request of " + c.partnerName())
                            .map(x -> a))
                        .compose(a -> BannerStore.raise(tx,
                                approve ? BannerKind.REQUEST_APPROVED : BannerKind.REQUEST_DENIED, accountId, partnerId,
                                c.businessName() + (approve ? " approved" : " denied") + " your access request",
                                requestId, now)
                            .map(x -> new Change(c.id(), accountId, partnerId, a, false, null)))
                        .compose(change -> approve ? AccessChanges.notify(tx, change, now)
                            : Future.succeededFuture(change));
                  }));
        }));
  }

  /**
   * R18-R20: disconnect, by the customer or the partner. The connection ends (revenue share and credits
   * stop, both lists drop it), a pending request is cancelled and its banner dismissed.
   */
  public Future<Change> disconnect(UUID accountId, UUID partnerId, boolean byCustomer, String reason, UUID actorUserId) {
    OffsetDateTime now = clock.nowUtc();
    String cleanReason = reason == null || reason.isBlank() ? null : reason.strip();
    return pool.withTransaction(tx -> lockLive(tx, accountId, partnerId).compose(c ->
        tx.preparedQuery(DISCONNECT).execute(Tuple.of(c.id(), now, byCustomer ? "customer" : "partner", cleanReason))
            .compose(v -> resolvePendingRequests(tx, c.id(), now, actorUserId))
            .compose(v -> ActivityLog.record(tx, accountId, now, "partner.disconnected", actorUserId, partnerId,
                (byCustomer ? "Disconnected partner " + c.partnerName() : c.partnerName() + " disconnected")
                    + (cleanReason == null ? "" : " (reason: " + cleanReason + ")")))
            .compose(v -> byCustomer
                ? BannerStore.raise(tx, BannerKind.DISCONNECTED, accountId, partnerId,
                    c.businessName() + " disconnected you" + (cleanReason == null ? "" : ": " + cleanReason), null, now)
                : BannerStore.raise(tx, BannerKind.PARTNER_DISCONNECTED, accountId, partnerId,
                    c.partnerName() + " disconnected from your account", null, now))
            .compose(b -> AccessChanges.notify(tx, new Change(c.id(), accountId, partnerId, c.access(), true, null),
                now))));
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

  private static java.time.Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  static DomainException notConnected() {
    return Problem.NOT_CONNECTED.exception("This partner is not connected to the account");
  }
}
