package com.partneraccess.model;

import com.partneraccess.bus.Problem;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plain-Java reference model of the partner-connection rules, written from SPEC.md (R1, R2, R5-R9,
 * R11-R16, R18-R20), not from the implementation. Partners, accounts, invites and requests are small
 * integer keys; the test maps them to the service's UUIDs. Every operation takes the moment it happens
 * at and returns the {@link Outcome} a client should see (HTTP status and problem {@code reason}).
 *
 * <p>The rules as modelled:
 * <ul>
 *   <li>Access (R5) is stored as enabled or disabled; "expired" is derived: enabled and past its expiry. An
 *       expiry that has passed stays passed: the sweep, and an account-level change (R12 jobs, R13 switch),
 *       store "expired" for connections past their expiry, and only re-enabling (R15) lifts it, so no answer
 *       depends on whether a sweep ran.
 *   <li>Expiry (R11-R13, R15) is 60 days after the latest of the last access, the last enabling (accepting
 *       an invite enables, R6), the moment the 100th job was created and the moment the rule was switched on
 *       for the account (R13: the operator's per-account moment, else the global 2020-07-01, which is in the
 *       past). No expiry before 100 jobs.
 *   <li>The access check (R7, R14, R19) refuses NOT_CONNECTED, ACCESS_DISABLED or ACCESS_EXPIRED (even one
 *       second past the expiry) and otherwise records the access (R11). It runs before any role rule, so a
 *       refused partner learns why it was refused, not which role it lacks.
 *   <li>Owner-only (R2, R9): accepting/declining invites and the activity history; admins, staff and
 *       partners get OWNER_ONLY. Decisions about partners (enable/disable, approve/deny, disconnect) belong
 *       to the customer's owner and admins: staff get ROLE_FORBIDDEN, a partner CUSTOMER_ONLY. Any user of
 *       the account, and a partner with access, may create jobs (R10: staff's access never expires).
 * </ul>
 *
 * <p>Decisions where SPEC.md is silent (what a user would expect):
 * <ul>
 *   <li>Setting access to the state it already has changes nothing (200); enabling an expired connection
 *       is a real re-enable and restarts the 60 days (R15).
 *   <li>Enabling access directly settles a pending request: it becomes {@code cancelled} (the customer
 *       answered it by enabling). Disabling leaves a pending request pending.
 *   <li>Requesting access while it is enabled is refused with ACCESS_ALREADY_ENABLED (409); asking again
 *       while a request is pending returns that request with 200 (R16: "changes nothing").
 *   <li>Deciding a request that is no longer pending (decided, or cancelled by enabling or by a disconnect)
 *       is REQUEST_NOT_PENDING; a request or invite of another account is NOT_FOUND (404).
 *   <li>A partner has at most one pending invite per account: inviting again sends that one again (200, valid
 *       for another 14 days, even when it was shown expired); an invite to an
 *       account it is connected to is ALREADY_CONNECTED. Accepting one invite withdraws the partner's other
 *       pending invites to that account, so after a later disconnect only a new invite reconnects (R20).
 *       Accepting or declining an invite past its 14 days
 *       is INVITE_EXPIRED; the partner may still withdraw it (tidying up). Lists show a pending invite past
 *       its expiry as {@code expired}.
 *   <li>An account-scoped partner token is bound to the partner and the account, and every request with it
 *       runs the access check: after a disable/enable or a disconnect and a new invite, it works again
 *       exactly when a fresh log-in would (R7/R19 are about stopping access, which the check guarantees).
 * </ul>
 */
final class ConnectionModel {
  static final Duration EXPIRY = Duration.ofDays(60);
  static final int JOB_THRESHOLD = 100;
  static final Duration INVITE_VALIDITY = Duration.ofDays(14);
  static final Instant RULE_FROM = Instant.parse("2020-07-01T00:00:00Z");

  /** Who acts inside an account: one of its users by role, or a partner with its account-scoped token. */
  record Actor(String role, int partner) {
    static final Actor OWNER = new Actor("owner", -1);
    static final Actor ADMIN = new Actor("admin", -1);
    static final Actor STAFF = new Actor("staff", -1);

    static Actor partner(int partner) {
      return new Actor("partner", partner);
    }

    boolean isPartner() {
      return partner >= 0;
    }

    @Override
    public String toString() {
      return isPartner() ? "partner#" + partner : role;
    }
  }

  /** What the client sees: status, problem reason (null on success) and, where an operation names one, a key. */
  record Outcome(int status, String reason, Integer key) {
    static Outcome ok() {
      return new Outcome(200, null, null);
    }

    static Outcome ok(int key) {
      return new Outcome(200, null, key);
    }

    static Outcome created() {
      return new Outcome(201, null, null);
    }

    static Outcome created(int key) {
      return new Outcome(201, null, key);
    }

    static Outcome refused(Problem p) {
      return new Outcome(p.status, p.name(), null);
    }

    boolean success() {
      return status / 100 == 2;
    }

    @Override
    public String toString() {
      return status + (reason == null ? "" : " " + reason) + (key == null ? "" : " #" + key);
    }
  }

  enum InviteStatus { pending, accepted, declined, withdrawn }

  enum RequestStatus { pending, approved, denied, cancelled }

  static final class Account {
    final int id;
    int jobs;
    Instant thresholdAt;
    Instant ruleFrom;

    Account(int id) {
      this.id = id;
    }
  }

  static final class Connection {
    final int partner;
    final int account;
    boolean enabled;
    /** Stored as expired (by a sweep or an account-level change) until re-enabled. */
    boolean expiredStored;
    Instant enabledAt;
    Instant lastAccess;
    /** R29: the end of the time-boxed grant in force (set by an approval for 1, 7 or 30 days; cleared by enabling). */
    Instant grantEnds;
    Request pending;

    Connection(int partner, int account) {
      this.partner = partner;
      this.account = account;
    }
  }

  static final class Invite {
    final int id;
    final int partner;
    final int account;
    Instant expiresAt;
    InviteStatus status = InviteStatus.pending;

    Invite(int id, int partner, int account, Instant expiresAt) {
      this.id = id;
      this.partner = partner;
      this.account = account;
      this.expiresAt = expiresAt;
    }
  }

  static final class Request {
    final int id;
    final int partner;
    final int account;
    /** R29: the length asked for, in days (null: until the 60-day rule). */
    final Integer askedDays;
    RequestStatus status = RequestStatus.pending;

    Request(int id, int partner, int account, Integer askedDays) {
      this.id = id;
      this.partner = partner;
      this.account = account;
      this.askedDays = askedDays;
    }
  }

  /** A line of the partner's Customers page (R4, R8, R12). */
  record CustomerLine(String access, Integer pendingRequest, boolean canLogIn, int jobCount, boolean clockStarted,
                      Integer daysUntilExpiry) {}

  /** A partner in the account's staff list (R4). */
  record PartnerLine(String access, Integer pendingRequest, Integer daysUntilExpiry) {}

  private final int partners;
  private final List<Account> accounts = new ArrayList<>();
  private final Map<Long, Connection> live = new HashMap<>();
  private final List<Invite> invites = new ArrayList<>();
  private final List<Request> requests = new ArrayList<>();
  private long accesses;

  ConnectionModel(int partners) {
    this.partners = partners;
  }

  int partners() {
    return partners;
  }

  /** How many partner accesses (successful checks) were recorded so far. */
  long accesses() {
    return accesses;
  }

  int addAccount() {
    accounts.add(new Account(accounts.size()));
    return accounts.size() - 1;
  }

  int accounts() {
    return accounts.size();
  }

  Account account(int a) {
    return accounts.get(a);
  }

  List<Invite> invites() {
    return invites;
  }

  List<Request> requests() {
    return requests;
  }

  Connection connection(int p, int a) {
    return live.get(pair(p, a));
  }

  private static long pair(int p, int a) {
    return ((long) p << 32) | a;
  }

  // ---- the rules -------------------------------------------------------------------------------

  /**
   * R11-R13, R15: the 60-day rule's expiry, null while its clock is not running (fewer than 100 jobs); R29: access
   * ends at the earlier of that and the end of a time-boxed grant.
   */
  Instant expiry(Connection c) {
    Instant threshold = accounts.get(c.account).thresholdAt;
    Instant rule = null;
    if (threshold != null) {
      Account acc = accounts.get(c.account);
      Instant ruleFrom = acc.ruleFrom != null ? acc.ruleFrom : RULE_FROM;
      rule = latest(latest(c.lastAccess, c.enabledAt), latest(threshold, ruleFrom)).plus(EXPIRY);
    }
    if (rule == null) {
      return c.grantEnds;
    }
    return c.grantEnds != null && c.grantEnds.isBefore(rule) ? c.grantEnds : rule;
  }

  /** R5/R14: the access as users see it now. */
  String access(Connection c, Instant now) {
    if (!c.enabled) {
      return "disabled";
    }
    if (c.expiredStored) {
      return "expired";
    }
    Instant e = expiry(c);
    return e != null && !now.isBefore(e) ? "expired" : "enabled";
  }

  /** The access check every partner log-in and account-scoped request goes through (R7, R11, R14, R19). */
  Problem check(int p, int a, Instant now) {
    Connection c = connection(p, a);
    if (c == null) {
      return Problem.NOT_CONNECTED;
    }
    String access = access(c, now);
    if (!"enabled".equals(access)) {
      return "disabled".equals(access) ? Problem.ACCESS_DISABLED : Problem.ACCESS_EXPIRED;
    }
    c.lastAccess = now;
    accesses++;
    return null;
  }

  /** Resolves an actor inside account {@code a}: a partner must pass the access check first. */
  private Problem resolve(Actor actor, int a, Instant now) {
    return actor.isPartner() ? check(actor.partner(), a, now) : null;
  }

  private static Problem requireOwner(Actor actor) {
    return "owner".equals(actor.role()) ? null : Problem.OWNER_ONLY;
  }

  private static Problem requireCustomerManager(Actor actor) {
    if (actor.isPartner()) {
      return Problem.CUSTOMER_ONLY;
    }
    return "staff".equals(actor.role()) ? Problem.ROLE_FORBIDDEN : null;
  }

  /** Enabling without a grant (accepting an invite, the owner's own switch) clears any grant end (R29). */
  private void enable(Connection c, Instant now) {
    c.enabled = true;
    c.expiredStored = false;
    c.enabledAt = now;
    c.grantEnds = null;
  }

  /** R29: an approval for {@code days} (null: until the 60-day rule) ends {@code days} x 24 h from now. */
  private void grant(Connection c, Instant now, Integer days) {
    enable(c, now);
    c.grantEnds = days == null ? null : now.plus(Duration.ofDays(days));
  }

  /** Stores "expired" for the enabled connections (of account {@code a}, or all with -1) past their expiry. */
  private int storeExpired(int a, Instant cutoff) {
    int n = 0;
    for (Connection c : live.values()) {
      if ((a < 0 || c.account == a) && c.enabled && !c.expiredStored) {
        Instant e = expiry(c);
        if (e != null && !cutoff.isBefore(e)) {
          c.expiredStored = true;
          n++;
        }
      }
    }
    return n;
  }

  /** The expiry sweep (R14): stores what is already derived, so nothing a user sees changes. */
  Outcome sweep(Instant cutoff) {
    storeExpired(-1, cutoff);
    return Outcome.ok();
  }

  private void cancelPending(Connection c) {
    if (c.pending != null) {
      c.pending.status = RequestStatus.cancelled;
      c.pending = null;
    }
  }

  // ---- operations ------------------------------------------------------------------------------

  /** R1: partner {@code p} invites account {@code a}. */
  Outcome invite(int p, int a, Instant now) {
    if (connection(p, a) != null) {
      return Outcome.refused(Problem.ALREADY_CONNECTED);
    }
    for (Invite pending : invites) {
      if (pending.partner == p && pending.account == a && pending.status == InviteStatus.pending) {
        pending.expiresAt = now.plus(INVITE_VALIDITY); // one pending invite per partner and account: sent again
        return Outcome.ok(pending.id);
      }
    }
    Invite i = new Invite(invites.size(), p, a, now.plus(INVITE_VALIDITY));
    invites.add(i);
    return Outcome.created(i.id);
  }

  /** R2, R6: only the owner accepts; single use; expires after 14 days; accepting enables access. */
  Outcome decideInvite(Actor actor, int a, int inviteId, boolean accept, Instant now) {
    Problem refused = resolve(actor, a, now);
    if (refused == null) {
      refused = requireOwner(actor);
    }
    if (refused != null) {
      return Outcome.refused(refused);
    }
    Invite i = invites.get(inviteId);
    if (i.account != a) {
      return Outcome.refused(Problem.NOT_FOUND);
    }
    if (i.status != InviteStatus.pending) {
      return Outcome.refused(Problem.INVITE_NOT_PENDING);
    }
    if (!now.isBefore(i.expiresAt)) {
      return Outcome.refused(Problem.INVITE_EXPIRED);
    }
    if (!accept) {
      i.status = InviteStatus.declined;
      return Outcome.ok();
    }
    if (connection(i.partner, a) != null) {
      return Outcome.refused(Problem.ALREADY_CONNECTED);
    }
    i.status = InviteStatus.accepted;
    for (Invite other : invites) {
      if (other.partner == i.partner && other.account == a && other.status == InviteStatus.pending) {
        other.status = InviteStatus.withdrawn; // R20: an older invite cannot reconnect after a disconnect
      }
    }
    Connection c = new Connection(i.partner, a);
    enable(c, now);
    live.put(pair(i.partner, a), c);
    return Outcome.ok();
  }

  /** The partner withdraws one of its own pending invites. */
  Outcome withdraw(int p, int inviteId) {
    Invite i = invites.get(inviteId);
    if (i.partner != p) {
      return Outcome.refused(Problem.NOT_FOUND);
    }
    if (i.status != InviteStatus.pending) {
      return Outcome.refused(Problem.INVITE_NOT_PENDING);
    }
    i.status = InviteStatus.withdrawn;
    return Outcome.ok();
  }

  /** R7, R15: the customer enables or disables partner {@code p}'s access. */
  Outcome setAccess(Actor actor, int a, int p, boolean enable, Instant now) {
    Problem refused = resolve(actor, a, now);
    if (refused == null) {
      refused = requireCustomerManager(actor);
    }
    if (refused != null) {
      return Outcome.refused(refused);
    }
    Connection c = connection(p, a);
    if (c == null) {
      return Outcome.refused(Problem.NOT_CONNECTED);
    }
    if (enable) {
      if (!"enabled".equals(access(c, now)) || c.grantEnds != null) {
        enable(c, now);
        cancelPending(c);
      }
    } else {
      c.enabled = false;
    }
    return Outcome.ok();
  }

  /**
   * R16, R20, R29: a connected partner whose access is disabled or expired asks for access, with a reason
   * (none: 400 before anything else) and a length ({@code days}; null: until the 60-day rule).
   */
  Outcome requestAccess(int p, int a, Instant now, boolean withReason, Integer days) {
    if (!withReason) {
      return Outcome.refused(Problem.VALIDATION_FAILED);
    }
    Connection c = connection(p, a);
    if (c == null) {
      return Outcome.refused(Problem.NOT_CONNECTED);
    }
    if ("enabled".equals(access(c, now))) {
      return Outcome.refused(Problem.ACCESS_ALREADY_ENABLED);
    }
    if (c.pending != null) {
      return Outcome.ok(c.pending.id);
    }
    Request r = new Request(requests.size(), p, a, days);
    requests.add(r);
    c.pending = r;
    return Outcome.created(r.id);
  }

  /**
   * R16, R15, R29: approving enables access (restarting the 60 days) for the length asked ({@code asked}) or the
   * owner's own ({@code ownDays}; null: until the 60-day rule); denying leaves it as it was.
   */
  Outcome decideRequest(Actor actor, int a, int requestId, boolean approve, boolean asked, Integer ownDays,
                        Instant now) {
    Problem refused = resolve(actor, a, now);
    if (refused == null) {
      refused = requireCustomerManager(actor);
    }
    if (refused != null) {
      return Outcome.refused(refused);
    }
    Request r = requests.get(requestId);
    if (r.account != a) {
      return Outcome.refused(Problem.NOT_FOUND);
    }
    if (r.status != RequestStatus.pending) {
      return Outcome.refused(Problem.REQUEST_NOT_PENDING);
    }
    Connection c = connection(r.partner, a);
    c.pending = null;
    if (approve) {
      r.status = RequestStatus.approved;
      grant(c, now, asked ? r.askedDays : ownDays);
    } else {
      r.status = RequestStatus.denied;
    }
    return Outcome.ok();
  }

  /** R18-R20: the customer disconnects partner {@code p}. */
  Outcome disconnectByCustomer(Actor actor, int a, int p, Instant now) {
    Problem refused = resolve(actor, a, now);
    if (refused == null) {
      refused = requireCustomerManager(actor);
    }
    if (refused != null) {
      return Outcome.refused(refused);
    }
    return disconnect(p, a);
  }

  /** R18-R20: the partner disconnects from account {@code a}. */
  Outcome disconnectByPartner(int p, int a) {
    return disconnect(p, a);
  }

  private Outcome disconnect(int p, int a) {
    Connection c = live.remove(pair(p, a));
    if (c == null) {
      return Outcome.refused(Problem.NOT_CONNECTED);
    }
    cancelPending(c);
    return Outcome.ok();
  }

  /** Jobs (R12): the moment the 100th job exists starts the expiry clock. */
  Outcome createJobs(Actor actor, int a, int quantity, Instant now) {
    Problem refused = resolve(actor, a, now);
    if (refused != null) {
      return Outcome.refused(refused);
    }
    Account acc = accounts.get(a);
    acc.jobs += quantity;
    if (acc.thresholdAt == null && acc.jobs >= JOB_THRESHOLD) {
      storeExpired(a, now);
      acc.thresholdAt = now;
    }
    return Outcome.created();
  }

  /**
   * R13: the operator switches the rule on for account {@code a} from {@code from} (a partner keeps access
   * for 60 days from then, however long ago its last access was); null goes back to the global date. A partner
   * whose expiry has already passed stays expired: it asks for access again.
   */
  Outcome switchRuleOn(int a, Instant from, Instant now) {
    storeExpired(a, now);
    accounts.get(a).ruleFrom = from;
    return Outcome.ok();
  }

  /** R8, R11: log in to a customer; the reply carries the account-scoped token. */
  Outcome logIn(int p, int a, Instant now) {
    Problem refused = check(p, a, now);
    return refused == null ? Outcome.created() : Outcome.refused(refused);
  }

  /** Reading inside the account (jobs, staff list): anyone of the account, a partner with access. */
  Outcome read(Actor actor, int a, Instant now) {
    Problem refused = resolve(actor, a, now);
    return refused == null ? Outcome.ok() : Outcome.refused(refused);
  }

  /** R9, R23: the activity history is the owner's alone. */
  Outcome activity(Actor actor, int a, Instant now) {
    Problem refused = resolve(actor, a, now);
    if (refused == null) {
      refused = requireOwner(actor);
    }
    return refused == null ? Outcome.ok() : Outcome.refused(refused);
  }

  // ---- what users see --------------------------------------------------------------------------

  /** Whole days left, rounded up (0.2 days reads "1 day"); null when not enabled or no clock. */
  Integer daysLeft(Connection c, Instant now) {
    Instant e = expiry(c);
    if (e == null || !"enabled".equals(access(c, now))) {
      return null;
    }
    long seconds = Duration.between(now, e).getSeconds();
    return (int) Math.max(0, (seconds + 86_399) / 86_400);
  }

  /** R4, R8, R12: partner {@code p}'s Customers page, by account. */
  Map<Integer, CustomerLine> customersOf(int p, Instant now) {
    Map<Integer, CustomerLine> out = new TreeMap<>();
    for (Connection c : live.values()) {
      if (c.partner == p) {
        Account acc = accounts.get(c.account);
        String access = access(c, now);
        out.put(c.account, new CustomerLine(access, c.pending == null ? null : c.pending.id,
            "enabled".equals(access), acc.jobs, acc.thresholdAt != null, daysLeft(c, now)));
      }
    }
    return out;
  }

  /** R4: the partners in account {@code a}'s staff list, by partner. */
  Map<Integer, PartnerLine> partnersOf(int a, Instant now) {
    Map<Integer, PartnerLine> out = new TreeMap<>();
    for (Connection c : live.values()) {
      if (c.account == a) {
        out.put(c.partner, new PartnerLine(access(c, now), c.pending == null ? null : c.pending.id, daysLeft(c, now)));
      }
    }
    return out;
  }

  private static String shown(Invite i, Instant now) {
    return i.status == InviteStatus.pending && !now.isBefore(i.expiresAt) ? "expired" : i.status.name();
  }

  /** The partner's invites, by invite, with their status as shown. */
  Map<Integer, String> invitesOf(int p, Instant now) {
    Map<Integer, String> out = new TreeMap<>();
    for (Invite i : invites) {
      if (i.partner == p) {
        out.put(i.id, shown(i, now));
      }
    }
    return out;
  }

  /** The invites account {@code a}'s owner can still answer (pending; shown expired once past their expiry). */
  Map<Integer, String> pendingInvitesFor(int a, Instant now) {
    Map<Integer, String> out = new TreeMap<>();
    for (Invite i : invites) {
      if (i.account == a && i.status == InviteStatus.pending) {
        out.put(i.id, shown(i, now));
      }
    }
    return out;
  }

  /** R16: the account's access requests, by request. */
  Map<Integer, String> requestsOf(int a) {
    Map<Integer, String> out = new TreeMap<>();
    for (Request r : requests) {
      if (r.account == a) {
        out.put(r.id, r.status.name());
      }
    }
    return out;
  }

  private static Instant latest(Instant x, Instant y) {
    if (x == null) {
      return y;
    }
    if (y == null) {
      return x;
    }
    return x.isAfter(y) ? x : y;
  }
}
