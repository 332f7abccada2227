package com.partneraccess.connections;

import com.partneraccess.activity.ActivityLog;
import com.partneraccess.authz.AccountActor;
import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Principal;
import com.partneraccess.banner.BannerKind;
import com.partneraccess.banner.BannerStore;
import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;
import com.partneraccess.connections.ConnectionRepository.LiveConnection;
import com.partneraccess.notifications.NotificationKind;
import com.partneraccess.notifications.NotificationStore;
import com.partneraccess.time.AppClock;
import com.partneraccess.webhooks.WebhookKind;
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
 * THE home of every operation on a connection (R4-R8, R15, R18-R20), for the JSON API and the pages alike:
 * each method authorises the caller against the one permission table, validates its command and carries
 * it out. A change is one transaction: lock the live connection first (every change takes the same lock,
 * so concurrent changes queue), a conditional update through {@link ConnectionRepository} (one winner),
 * its activity row (R23, {@link ActivityLog}), its banner (R17, {@link BannerStore}) and, for access
 * changes, a NOTIFY ({@link AccessChanges}) and its webhook event (R33, {@link ConnectionSteps#hook}); banners,
 * notifications and webhooks are delivered only if it commits. The Customers list reads through
 * {@link CustomerListRepository}; the access-request operations (request, withdraw, approve, deny) are in
 * {@link AccessRequestService}, which takes the same lock first.
 * The wording is in {@link ConnectionTexts}. {@code expires_at} is never written here (trigger of V008).
 */
public final class ConnectionService {
  private final Pool pool;
  private final AppClock clock;
  private final ConnectionRepository repository;
  private final CustomerListRepository customers;
  private final LeaveCheck leaveCheck;

  /** R25: may the partner leave this account now? (A partner cannot leave an account it created before handover.) */
  @FunctionalInterface
  public interface LeaveCheck {
    Future<Void> check(UUID partnerId, UUID accountId);
  }

  public ConnectionService(Pool pool, AppClock clock, ConnectionRepository repository,
                           CustomerListRepository customers) {
    this(pool, clock, repository, customers, (partnerId, accountId) -> Future.succeededFuture());
  }

  public ConnectionService(Pool pool, AppClock clock, ConnectionRepository repository,
                           CustomerListRepository customers, LeaveCheck leaveCheck) {
    this.pool = pool;
    this.clock = clock;
    this.repository = repository;
    this.customers = customers;
    this.leaveCheck = leaveCheck;
  }

  /** A change and the name of the partner it concerns, for the confirmation sentence. */
  public record Outcome(ConnectionChange change, String partnerName) {
    /** The name was read with the locked row: no second query for the confirmation sentence. */
    static Outcome of(ConnectionChange change) {
      return new Outcome(change, change.partnerName());
    }
  }

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
    return setAccess(actor.accountId(), cmd.partnerId(), cmd.enabled(), actor.userId()).map(Outcome::of);
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
    return disconnect(actor.accountId(), cmd.partnerId(), true, reason, actor.userId()).map(Outcome::of);
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
    Future<CustomerListRepository.CustomerPage> page = customers.customerPage(q);
    Future<CustomerCounts> counts = customers.customerCounts(q);
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
    return customers.customerPage(q).map(page -> new CustomerList(page.customers(), page.nextCursor(), null, q));
  }

  /** One connected customer of the partner (the partner's disconnect page), through the list's own query. */
  public Future<CustomerView> customer(Principal partner, UUID accountId) {
    Permissions.require(partner, Operation.DISCONNECT_CUSTOMER);
    return customers.customer(partner.partnerId(), partner.userId(), accountId, clock.now());
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
        (enable ? ConnectionSteps.effectivelyEnabled(c, now) && c.grantEndsAt() == null : "disabled".equals(c.access()))
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
        .compose(v -> ConnectionSteps.hook(tx, c, enable ? WebhookKind.ACCESS_ENABLED : WebhookKind.ACCESS_DISABLED, null, now))
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
            .compose(v -> ConnectionSteps.hook(tx, c, WebhookKind.CONNECTION_DISCONNECTED, new JsonObject()
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


}
