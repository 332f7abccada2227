package com.partneraccess.connections;

import com.partneraccess.activity.ActivityLog;
import com.partneraccess.authz.AccountActor;
import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Principal;
import com.partneraccess.banner.BannerKind;
import com.partneraccess.banner.BannerStore;
import com.partneraccess.bus.Cursor;
import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;
import com.partneraccess.connections.ConnectionRepository.LiveConnection;
import com.partneraccess.connections.ConnectionService.Outcome;
import com.partneraccess.notifications.NotificationKind;
import com.partneraccess.notifications.NotificationStore;
import com.partneraccess.time.AppClock;
import com.partneraccess.webhooks.WebhookKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * THE home of every operation on an access request (R16, R20, R29), for the JSON API and the pages alike: the partner
 * asks for access (and reads the customer it asks) or withdraws its pending request; the customer lists its requests
 * and approves or denies one. Each authorises the caller against the one permission table, validates its command and
 * carries it out in one transaction that locks the live connection first, as every change of {@link ConnectionService}
 * does (so concurrent changes queue and a conditional update has one winner), with its activity row (R23), banner
 * (R17), notification and webhook event (R33). The wording is in {@link ConnectionTexts}.
 */
public final class AccessRequestService {
  private static final Set<String> REQUEST_STATUSES = Set.of("pending", "approved", "denied", "cancelled");

  private final Pool pool;
  private final AppClock clock;
  private final ConnectionRepository repository;
  private final CustomerListRepository customers;

  public AccessRequestService(Pool pool, AppClock clock, ConnectionRepository repository,
                              CustomerListRepository customers) {
    this.pool = pool;
    this.clock = clock;
    this.repository = repository;
    this.customers = customers;
  }

  /** Result of a request for access: the pending request and whether this call created it. */
  public record RequestOutcome(UUID requestId, boolean created, String requestedAt) {}

  /** The most access requests one page holds (documented in openapi.yaml); the default page is the whole maximum. */
  public static final int REQUESTS_PAGE_MAX = 200;

  /** R16: the account's access requests, optionally of one status. */
  public Future<ConnectionRepository.RequestPage> requests(AccountActor actor, String status, Cursor.PageRequest page) {
    Permissions.require(actor, Operation.LIST_ACCESS_REQUESTS);
    return repository.requestsOf(actor.accountId(), Input.oneOf(status, "status", REQUEST_STATUSES),
        Cursor.timeKey(page.cursor(), ConnectionRepository.REQUESTS_CURSOR),
        Cursor.limit(page.limit(), REQUESTS_PAGE_MAX, REQUESTS_PAGE_MAX));
  }

  /** R16/R15: approve (enables access, restarts the 60 days) or deny (access stays as it was). */
  public Future<Outcome> decide(AccountActor actor, UUID requestId, boolean approve) {
    return decide(actor, requestId, approve, null);
  }

  /**
   * R16/R15/R29: approve for {@code length} (one of {@link GrantLength#CODES}; absent: the length the partner
   * asked for) or deny. Approving for a length stores the grant's end: access ends at the earlier of it and
   * the 60-day rule.
   */
  public Future<Outcome> decide(AccountActor actor, UUID requestId, boolean approve, String length) {
    Permissions.require(actor, Operation.DECIDE_ACCESS_REQUEST);
    GrantLength chosen = approve ? GrantLength.parse(length, "The length", null) : null;
    return decide(new Decision(actor.accountId(), requestId, approve, chosen, actor.userId(), clock.nowUtc()))
        .map(Outcome::of);
  }

  /** R29: what a partner asks for: a reason (required, at most 500 characters) and a length (a code of {@link GrantLength}). */
  public record AskAccess(String reason, String length) {}

  /**
   * R16/R20/R29: a connected partner whose access is disabled or expired asks for access, saying why and
   * optionally for how long (absent: until the 60-day rule); one pending request per connection (asking again
   * returns the pending one and changes nothing); a cancelled account cannot be asked (the Customers list says
   * the same).
   */
  public Future<RequestOutcome> requestAccess(Principal partner, UUID accountId, AskAccess ask) {
    Permissions.require(partner, Operation.REQUEST_ACCESS);
    String reason = Input.requiredText(ask == null ? null : ask.reason(), "The reason", Input.REASON_MAX);
    GrantLength length = GrantLength.parse(ask == null ? null : ask.length(), "The length", GrantLength.UNTIL_RULE);
    UUID partnerId = partner.partnerId();
    OffsetDateTime now = clock.nowUtc();
    return repository.requireInTeamScope(partnerId, accountId, partner.userId())
        .compose(v -> pool.withTransaction(tx -> repository.lockLive(tx, accountId, partnerId)
            .compose(c -> requestable(c, now))
            .compose(c -> askFor(tx, c, partner.userId(), now, reason, length))));
  }

  /** What withdrawing an access request did: the request and the customer it was sent to. */
  public record RequestWithdrawn(UUID requestId, String businessName) {}

  /**
   * R16: the partner takes back its pending access request before the customer answers; the customer's banner about
   * it goes, and the account's activity says so. 404 when no request is pending.
   */
  public Future<RequestWithdrawn> withdrawRequest(Principal partner, UUID accountId) {
    Permissions.require(partner, Operation.WITHDRAW_ACCESS_REQUEST);
    OffsetDateTime now = clock.nowUtc();
    return pool.withTransaction(tx -> repository.lockLive(tx, accountId, partner.partnerId())
        .compose(c -> repository.withdrawRequest(tx, c, partner.userId(), now).compose(id -> id == null
            ? Future.failedFuture(Problem.NOT_FOUND.exception("You have no pending access request to "
                + c.businessName() + "; nothing to withdraw"))
            : BannerStore.dismissOfRequests(tx, List.of(id), now)
                .compose(v -> ActivityLog.record(tx, c.accountId(), now, "access.request_withdrawn", partner.userId(),
                    c.partnerId(), ConnectionTexts.withdrawnActivity(c.partnerName())))
                .map(v -> new RequestWithdrawn(id, c.businessName())))));
  }

  /** R16/R29: the customer a partner is about to ask for access (the request form). */
  public Future<CustomerView> customerToAsk(Principal partner, UUID accountId) {
    Permissions.require(partner, Operation.REQUEST_ACCESS);
    return customers.customer(partner.partnerId(), partner.userId(), accountId, clock.now());
  }

  private static Future<LiveConnection> requestable(LiveConnection c, OffsetDateTime now) {
    if ("cancelled".equals(c.accountStatus())) {
      return Future.failedFuture(ConnectionTexts.accountCancelled(c.businessName()));
    }
    if (ConnectionSteps.effectivelyEnabled(c, now)) {
      return Future.failedFuture(ConnectionTexts.alreadyEnabled(c.businessName()));
    }
    return Future.succeededFuture(c);
  }

  /** Inserts the request unless one is pending (then returns that one, changing nothing). */
  private Future<RequestOutcome> askFor(SqlConnection tx, LiveConnection c, UUID partnerUserId, OffsetDateTime now,
                                        String reason, GrantLength length) {
    UUID id = UUID.randomUUID();
    return repository.insertRequest(tx, id, c, partnerUserId, now, reason, length).compose(created -> created
        ? announceRequest(tx, c, id, partnerUserId, now, reason, length)
        : repository.pendingRequest(tx, c.id()).map(p -> new RequestOutcome(p.id(), false, p.requestedAt())));
  }

  private Future<RequestOutcome> announceRequest(SqlConnection tx, LiveConnection c, UUID requestId,
                                                 UUID partnerUserId, OffsetDateTime now, String reason,
                                                 GrantLength length) {
    return ActivityLog.record(tx, c.accountId(), now, "access.requested", partnerUserId, c.partnerId(),
            ConnectionTexts.requestedActivity(c.partnerName(), length, reason))
        .compose(v -> ConnectionSteps.hook(tx, c, WebhookKind.REQUEST_RAISED, new JsonObject().put("requestId", requestId.toString()), now))
        .compose(v -> BannerStore.raise(tx, BannerKind.ACCESS_REQUESTED, c.accountId(), c.partnerId(),
            ConnectionTexts.requestedBanner(c.partnerName(), length, reason), requestId, now))
        .compose(b -> NotificationStore.record(tx, NotificationKind.ACCESS_REQUESTED, c.accountId(), c.partnerId(), now))
        .map(b -> new RequestOutcome(requestId, true, now.toInstant().toString()));
  }

  /**
   * A decision on an access request, as the steps of {@link #decide(Decision)} share it; {@code length} is the
   * owner's own (null: the one asked for, or a denial).
   */
  private record Decision(UUID accountId, UUID requestId, boolean approve, GrantLength length, UUID actorUserId,
                          OffsetDateTime now) {
    String status() {
      return approve ? "approved" : "denied";
    }
  }

  /**
   * R16/R15: find the request's partner, lock the connection (first, as every change does, so concurrent
   * decisions queue), decide the request if still pending (exactly one decision wins; the others get
   * REQUEST_NOT_PENDING), then apply it.
   */
  private Future<ConnectionChange> decide(Decision d) {
    return pool.withTransaction(tx -> partnerOfRequest(tx, d)
        .compose(partnerId -> lockForDecision(tx, d, partnerId))
        .compose(c -> markDecided(tx, d).compose(granted -> applyDecision(tx, d, c, granted))));
  }

  private Future<UUID> partnerOfRequest(SqlConnection tx, Decision d) {
    return repository.requestPartner(tx, d.requestId(), d.accountId()).compose(partnerId -> partnerId == null
        ? Future.failedFuture(ConnectionTexts.noSuchRequest()) : Future.succeededFuture(partnerId));
  }

  /** A request whose partner was disconnected since is no longer pending (the disconnection cancelled it). */
  private Future<LiveConnection> lockForDecision(SqlConnection tx, Decision d, UUID partnerId) {
    return repository.lockLive(tx, d.accountId(), partnerId)
        .recover(err -> Future.failedFuture(ConnectionTexts.noLongerConnected()));
  }

  /** Returns the length granted (approvals; UNTIL_RULE for a denial, which grants nothing). */
  private Future<GrantLength> markDecided(SqlConnection tx, Decision d) {
    return repository.decideRequest(tx, d.requestId(), d.accountId(), d.status(), d.now(), d.actorUserId(), d.length())
        .compose(granted -> granted != null ? Future.succeededFuture(granted)
            : repository.requestStatus(tx, d.requestId(), d.accountId())
                .compose(status -> Future.failedFuture(ConnectionTexts.alreadyDecided(status))));
  }

  /**
   * Approving enables access for the granted length (restarting the expiry, R15; a grant's end, R29); denying
   * leaves it as it was.
   */
  private Future<ConnectionChange> applyDecision(SqlConnection tx, Decision d, LiveConnection c, GrantLength granted) {
    String a = d.approve() ? "enabled" : c.access();
    Future<String> expiry = d.approve()
        ? repository.grant(tx, c.id(), d.now(), granted, d.actorUserId())
        : Future.succeededFuture(null);
    return expiry.compose(expires -> BannerStore.dismissOfRequests(tx, List.of(d.requestId()), d.now())
            .compose(v -> ActivityLog.record(tx, d.accountId(), d.now(), "request." + d.status(), d.actorUserId(),
                c.partnerId(), ConnectionTexts.decidedActivity(d.approve(), c.partnerName(), granted)))
            .compose(v -> ConnectionSteps.hook(tx, c, WebhookKind.REQUEST_DECIDED, new JsonObject()
                .put("requestId", d.requestId().toString()).put("decision", d.status()), d.now()))
            .compose(v -> d.approve() ? ConnectionSteps.hook(tx, c, WebhookKind.ACCESS_ENABLED, null, d.now()) : Future.<Void>succeededFuture())
            .compose(v -> BannerStore.raise(tx, d.approve() ? BannerKind.REQUEST_APPROVED : BannerKind.REQUEST_DENIED,
                d.accountId(), c.partnerId(), ConnectionTexts.decidedBanner(d.approve(), c.businessName(), granted),
                d.requestId(), d.now()))
            .compose(b -> NotificationStore.record(tx, d.approve() ? NotificationKind.REQUEST_APPROVED : NotificationKind.REQUEST_DENIED, d.accountId(), c.partnerId(), d.now()))
            .map(b -> new ConnectionChange(c.id(), d.accountId(), c.partnerId(), a, false, expires, c.partnerName())))
        .compose(change -> d.approve() ? AccessChanges.notify(tx, change, d.now()) : Future.succeededFuture(change));
  }
}
