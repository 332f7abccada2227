package com.partneraccess.connections;

import com.partneraccess.access.ExpiryRule;
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
import com.partneraccess.notifications.NotificationKind;
import com.partneraccess.notifications.NotificationStore;
import com.partneraccess.time.AppClock;
import com.partneraccess.webhooks.WebhookKind;
import com.partneraccess.webhooks.WebhookOutbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * THE home of every operation on a connection (R4-R8, R15-R20), for the JSON API and the pages alike:
 * each method authorises the caller against the one permission table, validates its command and carries
 * it out. A change is one transaction: lock the live connection first (every change takes the same lock,
 * so concurrent changes queue), a conditional update through {@link ConnectionRepository} (one winner),
 * its activity row (R23, {@link ActivityLog}), its banner (R17, {@link BannerStore}) and, for access
 * changes, a NOTIFY ({@link AccessChanges}) and its webhook event (R33, {@link WebhookOutbox}); banners,
 * notifications and webhooks are delivered only if it commits.
 * Over 400 lines because every connection operation (now with grants, withdrawals, the list query and the webhook
 * and notification hooks) keeps its one home here; the planned split moves the access-request operations
 * (request, withdraw, decide) into an AccessRequestService sharing the lock-and-record helpers.
 * The wording is in {@link ConnectionTexts}. {@code expires_at} is never written here (trigger of V008).
 * Slightly over 300 lines on purpose: every change's steps, and so its lock order, read in this one file.
 */
public final class ConnectionService {
  private static final Set<String> REQUEST_STATUSES = Set.of("pending", "approved", "denied", "cancelled");

  private final Pool pool;
  private final AppClock clock;
  private final ConnectionRepository repository;
  private final LeaveCheck leaveCheck;

  /** R25: may the partner leave this account now? (A partner cannot leave an account it created before handover.) */
  @FunctionalInterface
  public interface LeaveCheck {
    Future<Void> check(UUID partnerId, UUID accountId);
  }

  public ConnectionService(Pool pool, AppClock clock, ConnectionRepository repository) {
    this(pool, clock, repository, (partnerId, accountId) -> Future.succeededFuture());
  }

  public ConnectionService(Pool pool, AppClock clock, ConnectionRepository repository, LeaveCheck leaveCheck) {
    this.pool = pool;
    this.clock = clock;
    this.repository = repository;
    this.leaveCheck = leaveCheck;
  }

  /** A change and the name of the partner it concerns, for the confirmation sentence. */
  public record Outcome(ConnectionChange change, String partnerName) {}

  /** Result of a request for access: the pending request and whether this call created it. */
  public record RequestOutcome(UUID requestId, boolean created, String requestedAt) {}

  // ---- the customer's side (owner and admins) ----------------------------------------------------

  /** R4: the partners in the customer's staff list. */
  public Future<List<PartnerView>> partners(AccountActor actor) {
    Permissions.require(actor, Operation.LIST_STAFF);
    return repository.partnersOf(actor.accountId());
  }

  /** R18: one connected partner, as the disconnection wizard shows it. */
  public Future<PartnerView> partner(AccountActor actor, UUID partnerId) {
    Permissions.require(actor, Operation.DISCONNECT_PARTNER);
    return repository.partnersOf(actor.accountId()).map(list -> list.stream()
        .filter(p -> p.partnerId().equals(partnerId)).findFirst()
        .orElseThrow(() -> Problem.NOT_CONNECTED.exception("This partner is not connected to your account")));
  }

  public record SetAccess(UUID partnerId, boolean enabled) {}

  /** R7/R15: enable or disable a partner's access; setting the state it already has changes nothing. */
  public Future<Outcome> setAccess(AccountActor actor, SetAccess cmd) {
    Permissions.require(actor, Operation.SET_PARTNER_ACCESS);
    return setAccess(actor.accountId(), cmd.partnerId(), cmd.enabled(), actor.userId()).compose(this::named);
  }

  /**
   * R7: Account › Login details › Save with the partners whose box is ticked: changes only the partners
   * whose state differs, and returns what changed.
   */
  public Future<List<Outcome>> saveAllowed(AccountActor actor, Set<UUID> allowed) {
    Permissions.require(actor, Operation.SET_PARTNER_ACCESS);
    return repository.partnersOf(actor.accountId()).compose(partners -> {
      Future<List<Outcome>> chain = Future.succeededFuture(new ArrayList<>());
      for (PartnerView p : partners) {
        boolean want = allowed.contains(p.partnerId());
        if (want == "enabled".equals(p.access())) {
          continue;
        }
        chain = chain.compose(done -> setAccess(actor.accountId(), p.partnerId(), want, actor.userId())
            .map(change -> {
              done.add(new Outcome(change, p.name()));
              return done;
            }));
      }
      return chain;
    });
  }

  public record Disconnect(UUID partnerId, String reason) {}

  /** R18/R19: the customer disconnects a partner completely; the reason is optional, at most 500 characters. */
  public Future<Outcome> disconnect(AccountActor actor, Disconnect cmd) {
    Permissions.require(actor, Operation.DISCONNECT_PARTNER);
    String reason = Input.optionalText(cmd.reason(), "The reason", Input.REASON_MAX);
    return disconnect(actor.accountId(), cmd.partnerId(), true, reason, actor.userId()).compose(this::named);
  }

  /** R16: the account's access requests, optionally of one status. */
  /** The most access requests one page holds (documented in openapi.yaml); the default page is the whole maximum. */
  public static final int REQUESTS_PAGE_MAX = 200;

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
        .compose(this::named);
  }

  /**
   * R30: an access review lapsed unanswered with {@code reviews.onNoAnswer = disable}: the same disable as the
   * owner's (no caller: the review's timer; the history records no user).
   */
  public Future<ConnectionChange> disableUnanswered(UUID accountId, UUID partnerId) {
    return setAccess(accountId, partnerId, false, null);
  }

  // ---- the partner's side --------------------------------------------------------------------------

  /**
   * What a caller asks of the Customers list, as given (page query string or API query): search (business name or
   * owner e-mail), filter, sort, page size (at most {@value CustomerQuery#PAGE_MAX}) and the cursor of the previous
   * page. All may be null.
   */
  public record ListCustomers(String search, String filter, String sort, Integer limit, String cursor) {
    public static final ListCustomers FIRST = new ListCustomers(null, null, null, null, null);
    /** R28: the customers an admin may assign on the Team page (the first page of the largest size). */
    public static final ListCustomers ASSIGNABLE = new ListCustomers(null, null, null, CustomerQuery.PAGE_MAX, null);
  }

  /** One page of the Customers list, the cursor of the next, the counts per filter, and the query it answered. */
  public record CustomerList(List<CustomerView> customers, String nextCursor, CustomerCounts counts,
                             CustomerQuery query) {}

  /**
   * R4/R8: the partner's Customers list, for the page and the API alike: validates the request into one
   * {@link CustomerQuery} (limits refused with 400 and a reason), reads that page and the counts per filter.
   */
  public Future<CustomerList> customers(Principal partner, ListCustomers request) {
    Permissions.require(partner, Operation.LIST_CUSTOMERS);
    CustomerQuery q = CustomerQuery.parse(partner.partnerId(), partner.userId(), request, clock.now());
    Future<ConnectionRepository.CustomerPage> page = repository.customerPage(q);
    Future<CustomerCounts> counts = repository.customerCounts(q);
    return Future.all(page, counts).map(all -> new CustomerList(page.result().customers(),
        page.result().nextCursor(), counts.result(), q));
  }

  /**
   * The same list and validation as {@link #customers} without the counts per filter (null), for a second list on
   * one page (the Needs-attention group), so a page pays for its counts once.
   */
  public Future<CustomerList> customersWithoutCounts(Principal partner, ListCustomers request) {
    Permissions.require(partner, Operation.LIST_CUSTOMERS);
    CustomerQuery q = CustomerQuery.parse(partner.partnerId(), partner.userId(), request, clock.now());
    return repository.customerPage(q).map(page -> new CustomerList(page.customers(), page.nextCursor(), null, q));
  }

  /** One connected customer of the partner (the partner's disconnect page), through the list's own query. */
  public Future<CustomerView> customer(Principal partner, UUID accountId) {
    Permissions.require(partner, Operation.DISCONNECT_CUSTOMER);
    return repository.customerPage(CustomerQuery.one(partner.partnerId(), partner.userId(), accountId, clock.now()))
        .map(page -> page.customers().stream().findFirst()
            .orElseThrow(() -> Problem.NOT_CONNECTED.exception("You are not connected to this customer")));
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
    return repository.customerPage(CustomerQuery.one(partner.partnerId(), partner.userId(), accountId, clock.now()))
        .map(page -> page.customers().stream().findFirst()
        .orElseThrow(() -> Problem.NOT_CONNECTED.exception("You are not connected to this customer")));
  }

  /** R18/R19: the partner disconnects itself from a customer; optional reason, at most 500 characters. */
  public Future<ConnectionChange> disconnectFromCustomer(Principal partner, UUID accountId, String reason) {
    Permissions.require(partner, Operation.DISCONNECT_CUSTOMER);
    String clean = Input.optionalText(reason, "The reason", Input.REASON_MAX);
    return repository.requireInTeamScope(partner.partnerId(), accountId, partner.userId())
        .compose(v -> leaveCheck.check(partner.partnerId(), accountId))
        .compose(v -> disconnect(accountId, partner.partnerId(), false, clean, partner.userId()));
  }

  /** The partner organisation's name, for the strip "You are in ... as <partner>". */
  public Future<String> partnerName(UUID partnerId) {
    return repository.partnerName(partnerId);
  }

  // ---- carrying out the changes (one transaction each) ---------------------------------------------

  /**
   * Enabling is a no-op only while access is enabled, not past its expiry (R14) and not time-boxed (R29: enabling
   * directly turns a grant into access until the 60-day rule); disabling, when disabled.
   */
  private Future<ConnectionChange> setAccess(UUID accountId, UUID partnerId, boolean enable, UUID actorUserId) {
    OffsetDateTime now = clock.nowUtc();
    return pool.withTransaction(tx -> repository.lockLive(tx, accountId, partnerId).compose(c ->
        (enable ? effectivelyEnabled(c, now) && c.grantEndsAt() == null : "disabled".equals(c.access()))
            ? Future.succeededFuture(new ConnectionChange(c.id(), accountId, partnerId, c.access(), false,
                c.expiresAt() == null ? null : c.expiresAt().toInstant().toString(), c.partnerName()))
            : changeAccess(tx, c, enable, actorUserId, now)));
  }

  /** R7/R15: enabling sets {@code enabled_at} (the trigger restarts the expiry) and settles a pending request. */
  private Future<ConnectionChange> changeAccess(SqlConnection tx, LiveConnection c, boolean enable, UUID actorUserId,
                                                OffsetDateTime now) {
    String target = enable ? "enabled" : "disabled";
    return repository.setAccess(tx, c.id(), target, now).compose(expires -> (enable
            ? settlePendingRequests(tx, c, actorUserId, now) : Future.<Void>succeededFuture())
        .compose(v -> ActivityLog.record(tx, c.accountId(), now, enable ? "access.enabled" : "access.disabled",
            actorUserId, c.partnerId(), ConnectionTexts.accessSetActivity(enable, c.partnerName())))
        .compose(v -> hook(tx, c, enable ? WebhookKind.ACCESS_ENABLED : WebhookKind.ACCESS_DISABLED, null, now))
        .compose(v -> BannerStore.raise(tx, enable ? BannerKind.ACCESS_ENABLED : BannerKind.ACCESS_DISABLED,
            c.accountId(), c.partnerId(), ConnectionTexts.accessSetBanner(enable, c.businessName()), null, now))
        .compose(b -> NotificationStore.record(tx, enable ? NotificationKind.ACCESS_ENABLED : NotificationKind.ACCESS_DISABLED, c.accountId(), c.partnerId(), now))
        .compose(b -> AccessChanges.notify(tx,
            new ConnectionChange(c.id(), c.accountId(), c.partnerId(), target, false, expires, c.partnerName()), now)));
  }

  /** Enabling or disconnecting settles any pending request: it is cancelled and its banner dismissed. */
  private Future<Void> settlePendingRequests(SqlConnection tx, LiveConnection c, UUID actorUserId, OffsetDateTime now) {
    return repository.cancelPendingRequests(tx, c.id(), now, actorUserId)
        .compose(ids -> BannerStore.dismissOfRequests(tx, ids, now));
  }

  private static Future<LiveConnection> requestable(LiveConnection c, OffsetDateTime now) {
    if ("cancelled".equals(c.accountStatus())) {
      return Future.failedFuture(ConnectionTexts.accountCancelled(c.businessName()));
    }
    if (effectivelyEnabled(c, now)) {
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
        .compose(v -> hook(tx, c, WebhookKind.REQUEST_RAISED, new JsonObject().put("requestId", requestId.toString()), now))
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
            .compose(v -> hook(tx, c, WebhookKind.REQUEST_DECIDED, new JsonObject()
                .put("requestId", d.requestId().toString()).put("decision", d.status()), d.now()))
            .compose(v -> d.approve() ? hook(tx, c, WebhookKind.ACCESS_ENABLED, null, d.now()) : Future.<Void>succeededFuture())
            .compose(v -> BannerStore.raise(tx, d.approve() ? BannerKind.REQUEST_APPROVED : BannerKind.REQUEST_DENIED,
                d.accountId(), c.partnerId(), ConnectionTexts.decidedBanner(d.approve(), c.businessName(), granted),
                d.requestId(), d.now()))
            .compose(b -> NotificationStore.record(tx, d.approve() ? NotificationKind.REQUEST_APPROVED : NotificationKind.REQUEST_DENIED, d.accountId(), c.partnerId(), d.now()))
            .map(b -> new ConnectionChange(c.id(), d.accountId(), c.partnerId(), a, false, expires, c.partnerName())))
        .compose(change -> d.approve() ? AccessChanges.notify(tx, change, d.now()) : Future.succeededFuture(change));
  }

  /**
   * R18-R20: disconnect, by the customer or the partner. The connection ends (revenue share and credits
   * stop, both lists drop it), a pending request is cancelled and its banner dismissed.
   */
  private Future<ConnectionChange> disconnect(UUID accountId, UUID partnerId, boolean byCustomer, String reason,
                                              UUID actorUserId) {
    OffsetDateTime now = clock.nowUtc();
    String clean = reason == null || reason.isBlank() ? null : reason.strip();
    return pool.withTransaction(tx -> repository.lockLive(tx, accountId, partnerId).compose(c ->
        repository.disconnect(tx, c.id(), now, byCustomer ? "customer" : "partner", clean)
            .compose(v -> settlePendingRequests(tx, c, actorUserId, now))
            .compose(v -> ActivityLog.record(tx, accountId, now, "partner.disconnected", actorUserId, partnerId,
                ConnectionTexts.disconnectedActivity(byCustomer, c.partnerName(), clean)))
            .compose(v -> hook(tx, c, WebhookKind.CONNECTION_DISCONNECTED, new JsonObject()
                .put("by", byCustomer ? "customer" : "partner").put("reason", clean), now))
            .compose(v -> byCustomer
                ? BannerStore.raise(tx, BannerKind.DISCONNECTED, accountId, partnerId,
                    ConnectionTexts.disconnectedByCustomerBanner(c.businessName(), clean), null, now)
                : BannerStore.raise(tx, BannerKind.PARTNER_DISCONNECTED, accountId, partnerId,
                    ConnectionTexts.disconnectedByPartnerBanner(c.partnerName()), null, now))
            .compose(b -> NotificationStore.record(tx, byCustomer ? NotificationKind.DISCONNECTED : NotificationKind.PARTNER_DISCONNECTED, accountId, partnerId, now))
            .compose(b -> AccessChanges.notify(tx,
                new ConnectionChange(c.id(), accountId, partnerId, c.access(), true, null, c.partnerName()), now))));
  }

  /** R33: the change's webhook event, in the change's transaction (delivered only if it commits). */
  private static Future<Void> hook(SqlConnection tx, LiveConnection c, WebhookKind kind, JsonObject extra,
                                   OffsetDateTime now) {
    return WebhookOutbox.record(tx, kind, c.id(), c.accountId(), c.partnerId(), extra, now);
  }

  private static boolean effectivelyEnabled(LiveConnection c, OffsetDateTime now) {
    return "enabled".equals(ExpiryRule.effectiveAccess(c.access(),
        c.expiresAt() == null ? null : c.expiresAt().toInstant(), now.toInstant()));
  }

  /** The name was read with the locked row: no second query for the confirmation sentence. */
  private Future<Outcome> named(ConnectionChange change) {
    return Future.succeededFuture(new Outcome(change, change.partnerName()));
  }
}
