package com.partneraccess.model;

import com.partneraccess.model.ConnectionModel.Actor;
import com.partneraccess.model.ConnectionModel.CustomerLine;
import com.partneraccess.model.ConnectionModel.Invite;
import com.partneraccess.model.ConnectionModel.InviteStatus;
import com.partneraccess.model.ConnectionModel.Outcome;
import com.partneraccess.model.ConnectionModel.PartnerLine;
import com.partneraccess.model.ConnectionModel.Request;
import com.partneraccess.model.ConnectionModel.RequestStatus;
import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Drives one random run: each step picks an operation from the model's state (so a seed replays the same
 * sequence), sends it to the service over HTTP/1.1, applies it to {@link ConnectionModel} and compares the
 * outcomes; then compares what users see (Customers page, staff list, invites, requests). The first
 * difference ends the run with a {@link Mismatch} naming the seed, the step, the operation and both sides.
 *
 * <p>Time: the service runs in this JVM on the system clock plus the test-clock offset; the model uses
 * the same base plus the offset it moved itself (checked against the service's reply after every move).
 * Moves are whole days plus 3-9 seconds, so no comparison lands within a second of an expiry. Touches are
 * flushed every {@code flushMillis}; before a move the run waits until the last access is flushed, and a
 * list that disagrees is read once more after a flush interval (lists may lag an access by that much).
 */
final class ModelRun {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRun.class);
  private static final String PASSWORD = "password-123";
  private static final int HISTORY = 30;
  private static final Set<String> MUTATIONS = Set.of("invite", "acceptInvite", "declineInvite", "withdraw", "enable",
      "disable", "requestAccess", "approve", "deny", "disconnectByCustomer", "disconnectByPartner", "createJobs",
      "switchRuleOn");

  /** The first disagreement between the service and the model. */
  static final class Mismatch extends RuntimeException {
    Mismatch(String message) {
      super(message);
    }
  }

  private record Reply(int status, JsonObject json) {
    String reason() {
      return status >= 400 ? json.getString("reason") : null;
    }

    @Override
    public String toString() {
      return status + " " + json.encode();
    }
  }

  private record PartnerRef(UUID id, String token) {}

  private record AccountRef(UUID id, String owner, String admin, String staff) {}

  private final String base;
  private final long seed;
  private final Random rnd;
  private final long flushMillis;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final ConnectionModel model;
  private final List<PartnerRef> partners = new ArrayList<>();
  private final List<AccountRef> accounts = new ArrayList<>();
  private final int[] slots;
  private final Map<UUID, Integer> partnerIndex = new HashMap<>();
  private final Map<UUID, Integer> accountIndex = new HashMap<>();
  private final Map<UUID, Integer> inviteKeys = new HashMap<>();
  private final List<UUID> inviteIds = new ArrayList<>();
  private final Map<UUID, Integer> requestKeys = new HashMap<>();
  private final List<UUID> requestIds = new ArrayList<>();
  private final Map<Long, String> sessions = new HashMap<>();
  private final Set<Long> everConnected = new HashSet<>();
  private final Deque<String> history = new ArrayDeque<>();
  private final Map<String, Integer> opCounts = new TreeMap<>();
  private final Map<String, Integer> outcomes = new TreeMap<>();
  private Duration offset = Duration.ZERO;
  private long lastAccessNanos;
  private int step;
  private int listRetries;
  private boolean changed;

  ModelRun(String base, long seed, int partnerCount, int accountSlots, long flushMillis) {
    this.base = base;
    this.seed = seed;
    this.rnd = new Random(seed);
    this.flushMillis = flushMillis;
    this.model = new ConnectionModel(partnerCount);
    this.slots = new int[accountSlots];
  }

  Map<String, Integer> opCounts() {
    return opCounts;
  }

  int listRetries() {
    return listRetries;
  }

  int accountsCreated() {
    return accounts.size();
  }

  /** The universe: partners and accounts (each with an owner, an admin and a staff user). */
  void setUp() {
    for (int p = 0; p < model.partners(); p++) {
      Reply r = expect(send("POST", "/api/v1/partners/signup", null, new JsonObject()
          .put("organisation", "Partner " + p).put("name", "Partner user " + p)
          .put("email", email("partner")).put("password", PASSWORD)), 201);
      UUID id = UUID.fromString(r.json().getString("partnerId"));
      partners.add(new PartnerRef(id, r.json().getString("token")));
      partnerIndex.put(id, p);
    }
    for (int i = 0; i < slots.length; i++) {
      slots[i] = newAccount();
    }
  }

  private int newAccount() {
    int a = model.addAccount();
    Reply r = expect(send("POST", "/api/v1/signup", null, new JsonObject().put("businessName", "Business " + a)
        .put("name", "Owner " + a).put("email", email("owner")).put("password", PASSWORD)), 201);
    UUID id = UUID.fromString(r.json().getString("accountId"));
    String owner = r.json().getString("token");
    String admin = addUser(owner, "admin");
    String staff = addUser(owner, "staff");
    accounts.add(new AccountRef(id, owner, admin, staff));
    accountIndex.put(id, a);
    return a;
  }

  private String addUser(String ownerToken, String role) {
    String email = email(role);
    expect(send("POST", "/api/v1/account/staff", ownerToken, new JsonObject().put("name", role + " user")
        .put("email", email).put("password", PASSWORD).put("role", role)), 201);
    return expect(send("POST", "/api/v1/auth/token", null, new JsonObject().put("email", email)
        .put("password", PASSWORD)), 200).json().getString("token");
  }

  private static String email(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 12) + "@example.test";
  }

  Instant now() {
    return Instant.now().plus(offset);
  }

  // ---- one step --------------------------------------------------------------------------------

  /** Operation weights (per mille): partner access is the hot path, so it is drawn most often. */
  private static final int[] WEIGHTS = {70, 80, 20, 20, 55, 80, 80, 55, 35, 20, 20, 60, 35, 120, 125, 65, 25, 10, 20, 5};

  void step(int n) {
    step = n;
    int roll = rnd.nextInt(1000);
    int op = 0;
    while (roll >= WEIGHTS[op]) {
      roll -= WEIGHTS[op];
      op++;
    }
    switch (op) {
      case 0 -> invite();
      case 1 -> decideInvite(true);
      case 2 -> decideInvite(false);
      case 3 -> withdraw();
      case 4 -> setAccess(true);
      case 5 -> setAccess(false);
      case 6 -> requestAccess();
      case 7 -> decideRequest(true);
      case 8 -> decideRequest(false);
      case 9 -> disconnectByCustomer();
      case 10 -> disconnectByPartner();
      case 11 -> createJobs();
      case 12 -> moveClock();
      case 13 -> logIn();
      case 14 -> accountRequest();
      case 15 -> ownerOnly();
      case 16 -> read();
      case 17 -> switchRuleOn();
      case 18 -> sweep();
      default -> replaceAccount();
    }
  }

  private int randomPartner() {
    return rnd.nextInt(model.partners());
  }

  private int randomAccount() {
    return slots[rnd.nextInt(slots.length)];
  }

  /** A partner and an active account, connected with probability about {@code connected} when possible. */
  private int[] pair(double connected) {
    boolean wantConnected = rnd.nextDouble() < connected;
    int[] pick = {randomPartner(), randomAccount()};
    for (int tries = 0; tries < 12; tries++) {
      if ((model.connection(pick[0], pick[1]) != null) == wantConnected) {
        return pick;
      }
      pick = new int[] {randomPartner(), randomAccount()};
    }
    return pick;
  }

  private static long key(int p, int a) {
    return ((long) p << 32) | a;
  }

  /** A customer-side actor in account {@code a}; a partner only if one has a session token there. */
  private Actor actor(int a, int owner, int admin, int staff) {
    int roll = rnd.nextInt(100);
    if (roll < owner) {
      return Actor.OWNER;
    }
    if (roll < owner + admin) {
      return Actor.ADMIN;
    }
    if (roll < owner + admin + staff) {
      return Actor.STAFF;
    }
    List<Integer> withToken = new ArrayList<>();
    for (int p = 0; p < model.partners(); p++) {
      if (sessions.containsKey(key(p, a))) {
        withToken.add(p);
      }
    }
    return withToken.isEmpty() ? Actor.OWNER : Actor.partner(withToken.get(rnd.nextInt(withToken.size())));
  }

  private String token(Actor actor, int a) {
    AccountRef acc = accounts.get(a);
    return switch (actor.role()) {
      case "owner" -> acc.owner();
      case "admin" -> acc.admin();
      case "staff" -> acc.staff();
      default -> sessions.get(key(actor.partner(), a));
    };
  }

  private void invite() {
    int[] pa = rnd.nextInt(10) < 8 ? pair(0.1) : pair(0.9);
    int p = pa[0];
    int a = pa[1];
    if (model.connection(p, a) == null && everConnected.contains(key(p, a))) {
      count("invite again after a disconnect (R20)");
    }
    run("invite", "invite P" + p + " -> A" + a,
        () -> send("POST", "/api/v1/partner/invites", partners.get(p).token(),
            new JsonObject().put("accountId", accounts.get(a).id().toString())),
        () -> model.invite(p, a, now()),
        r -> registerKey(r, "id", inviteKeys, inviteIds));
    observe(p, a);
  }

  /** Mostly an invite that can still be answered (pending, not expired, of an active account), else any. */
  private Invite pickInvite(double answerableShare) {
    List<Invite> all = model.invites();
    if (all.isEmpty()) {
      return null;
    }
    if (rnd.nextDouble() < answerableShare) {
      Instant now = now();
      List<Invite> answerable = new ArrayList<>();
      for (Invite i : all) {
        if (i.status == InviteStatus.pending && now.isBefore(i.expiresAt) && isActive(i.account)) {
          answerable.add(i);
        }
      }
      if (!answerable.isEmpty()) {
        return answerable.get(rnd.nextInt(answerable.size()));
      }
    }
    return all.get(rnd.nextInt(all.size()));
  }

  private boolean isActive(int a) {
    for (int s : slots) {
      if (s == a) {
        return true;
      }
    }
    return false;
  }

  private void decideInvite(boolean accept) {
    Invite i = pickInvite(0.9);
    if (i == null) {
      invite();
      return;
    }
    int a = isActive(i.account) && rnd.nextInt(20) > 0 ? i.account : randomAccount();
    Actor actor = actor(a, 80, 8, 6);
    UUID id = inviteIds.get(i.id);
    String verb = accept ? "accept" : "decline";
    Reply r = run(accept ? "acceptInvite" : "declineInvite", verb + " invite#" + i.id + " (P" + i.partner + " -> A"
            + i.account + ") in A" + a + " as " + actor,
        () -> send("POST", "/api/v1/account/partner-invites/" + id + "/" + verb, token(actor, a), null),
        () -> model.decideInvite(actor, a, i.id, accept, now()), x -> null);
    if (accept && r.status() == 200 && !everConnected.add(key(i.partner, a))) {
      count("reconnected by a new invite (R20)");
    }
    observe(i.partner, a);
  }

  private void withdraw() {
    Invite i = pickInvite(0.7);
    if (i == null) {
      invite();
      return;
    }
    int p = rnd.nextInt(10) > 0 ? i.partner : randomPartner();
    UUID id = inviteIds.get(i.id);
    run("withdraw", "withdraw invite#" + i.id + " (P" + i.partner + " -> A" + i.account + ") as P" + p,
        () -> send("DELETE", "/api/v1/partner/invites/" + id, partners.get(p).token(), null),
        () -> model.withdraw(p, i.id), r -> null);
    observe(p, i.account);
  }

  private void setAccess(boolean enable) {
    int[] pa = pair(0.9);
    int p = pa[0];
    int a = pa[1];
    Actor actor = actor(a, 60, 25, 8);
    run(enable ? "enable" : "disable", (enable ? "enable" : "disable") + " P" + p + " in A" + a + " as " + actor,
        () -> send("PUT", "/api/v1/account/partners/" + partners.get(p).id() + "/access", token(actor, a),
            new JsonObject().put("enabled", enable)),
        () -> model.setAccess(actor, a, p, enable, now()), r -> null);
    observe(p, a);
  }

  /** R29: the lengths a request or an approval may name (null: none named). */
  private static final String[] LENGTHS = {null, "1d", "7d", "30d", "rule"};

  private static Integer days(String length) {
    return length == null || "rule".equals(length) ? null : Integer.valueOf(length.substring(0, length.length() - 1));
  }

  private void requestAccess() {
    int[] pa = pair(0.9);
    int p = pa[0];
    int a = pa[1];
    // R29: a reason (missing one time in twenty: 400) and a length (none named: until the 60-day rule)
    boolean withReason = rnd.nextInt(20) > 0;
    String length = LENGTHS[rnd.nextInt(LENGTHS.length)];
    JsonObject body = new JsonObject();
    if (withReason) {
      body.put("reason", "model test");
    }
    if (length != null) {
      body.put("length", length);
    }
    run("requestAccess", "request access P" + p + " -> A" + a + " for " + length + (withReason ? "" : " without a reason"),
        () -> send("POST", "/api/v1/partner/customers/" + accounts.get(a).id() + "/access-requests",
            partners.get(p).token(), body),
        () -> model.requestAccess(p, a, now(), withReason, days(length)),
        r -> registerKey(r, "requestId", requestKeys, requestIds));
    observe(p, a);
  }

  private void decideRequest(boolean approve) {
    List<Request> all = model.requests();
    if (all.isEmpty()) {
      requestAccess();
      return;
    }
    Request req = null;
    if (rnd.nextInt(10) < 8) {
      List<Request> pending = new ArrayList<>();
      for (Request r : all) {
        if (r.status == RequestStatus.pending && isActive(r.account)) {
          pending.add(r);
        }
      }
      if (!pending.isEmpty()) {
        req = pending.get(rnd.nextInt(pending.size()));
      }
    }
    if (req == null && rnd.nextBoolean()) {
      List<Request> ofActive = new ArrayList<>();
      for (Request r : all) {
        if (isActive(r.account)) {
          ofActive.add(r);
        }
      }
      req = ofActive.isEmpty() ? null : ofActive.get(rnd.nextInt(ofActive.size()));
    }
    Request chosen = req != null ? req : all.get(rnd.nextInt(all.size()));
    int a = isActive(chosen.account) && rnd.nextInt(20) > 0 ? chosen.account : randomAccount();
    Actor actor = actor(a, 60, 25, 8);
    String verb = approve ? "approve" : "deny";
    UUID id = requestIds.get(chosen.id);
    // R29: approve for the length asked (no length named) or for one of the owner's own
    String own = approve && rnd.nextBoolean() ? LENGTHS[1 + rnd.nextInt(LENGTHS.length - 1)] : null;
    run(approve ? "approve" : "deny", verb + " request#" + chosen.id + " (P" + chosen.partner + " -> A"
            + chosen.account + ") in A" + a + " as " + actor + (own == null ? "" : " for " + own),
        () -> send("POST", "/api/v1/account/access-requests/" + id + "/" + verb, token(actor, a),
            own == null ? null : new JsonObject().put("length", own)),
        () -> model.decideRequest(actor, a, chosen.id, approve, own == null, days(own), now()), r -> null);
    observe(chosen.partner, a);
  }

  private void disconnectByCustomer() {
    int[] pa = pair(0.85);
    int p = pa[0];
    int a = pa[1];
    Actor actor = actor(a, 60, 25, 8);
    run("disconnectByCustomer", "disconnect P" + p + " from A" + a + " as " + actor,
        () -> send("POST", "/api/v1/account/partners/" + partners.get(p).id() + "/disconnect", token(actor, a),
            new JsonObject().put("reason", "model test")),
        () -> model.disconnectByCustomer(actor, a, p, now()), r -> null);
    observe(p, a);
  }

  private void disconnectByPartner() {
    int[] pa = pair(0.85);
    int p = pa[0];
    int a = pa[1];
    run("disconnectByPartner", "partner P" + p + " disconnects from A" + a,
        () -> send("DELETE", "/api/v1/partner/customers/" + accounts.get(a).id(), partners.get(p).token(), null),
        () -> model.disconnectByPartner(p, a), r -> null);
    observe(p, a);
  }

  private void createJobs() {
    int a = randomAccount();
    Actor actor = actor(a, 40, 20, 20);
    int roll = rnd.nextInt(10);
    int quantity = roll < 7 ? 1 + rnd.nextInt(3) : roll < 9 ? 5 + rnd.nextInt(26) : 40 + rnd.nextInt(61);
    run("createJobs", "create " + quantity + " jobs in A" + a + " as " + actor,
        () -> send("POST", "/api/v1/account/jobs", token(actor, a),
            new JsonObject().put("title", "Job").put("quantity", quantity)),
        () -> model.createJobs(actor, a, quantity, now()), r -> null);
    observe(actor.isPartner() ? actor.partner() : randomPartner(), a);
  }

  private void moveClock() {
    int roll = rnd.nextInt(20);
    int days = roll < 10 ? 1 + rnd.nextInt(10) : roll < 14 ? 11 + rnd.nextInt(30) : 41 + rnd.nextInt(30);
    int seconds = 3 + rnd.nextInt(7);
    waitForFlush();
    Reply r = send("POST", "/api/v1/test/clock", null, new JsonObject().put("days", days).put("seconds", seconds));
    offset = offset.plusDays(days).plusSeconds(seconds);
    String op = "move the clock " + days + " days " + seconds + " s";
    count("moveClock");
    remember(op + " => " + r.status());
    if (r.status() != 200 || r.json().getLong("offsetSeconds", -1L) != offset.getSeconds()) {
      throw mismatch(op, "offset " + offset.getSeconds() + " s", r.toString());
    }
    observeLists(false);
  }

  private void logIn() {
    int[] pa = pair(0.85);
    int p = pa[0];
    int a = pa[1];
    Reply r = run("logIn", "log in P" + p + " -> A" + a,
        () -> send("POST", "/api/v1/partner/customers/" + accounts.get(a).id() + "/sessions",
            partners.get(p).token(), null),
        () -> model.logIn(p, a, now()), x -> null);
    if (r.status() == 201) {
      sessions.put(key(p, a), r.json().getString("token"));
    }
    observe(p, a);
  }

  /** A request inside the account with the partner's account-scoped token (R7, R11, R14, R19). */
  private void accountRequest() {
    List<Long> keys = new ArrayList<>();
    for (long k : sessions.keySet()) {
      if (isActive((int) k)) {
        keys.add(k);
      }
    }
    if (keys.isEmpty()) {
      logIn();
      return;
    }
    keys.sort(null);
    long k = keys.get(rnd.nextInt(keys.size()));
    int p = (int) (k >>> 32);
    int a = (int) k;
    Actor actor = Actor.partner(p);
    run("accountRequest", "P" + p + " reads jobs in A" + a + " with its session",
        () -> send("GET", "/api/v1/account/jobs?limit=1", token(actor, a), null),
        () -> model.read(actor, a, now()), r -> null);
    observe(p, a);
  }

  /** R9, R2, R23: owner-only areas, attempted mostly by a partner, an admin or staff. */
  private void ownerOnly() {
    int a = randomAccount();
    Actor actor = actor(a, 10, 20, 20);
    run("ownerOnly", "activity history of A" + a + " as " + actor,
        () -> send("GET", "/api/v1/account/activity?limit=1", token(actor, a), null),
        () -> model.activity(actor, a, now()), r -> null);
    if (actor.isPartner()) {
      observe(actor.partner(), a);
    }
  }

  /** R10: the account's own users always read, whatever happens to partners' access. */
  private void read() {
    int a = randomAccount();
    Actor actor = actor(a, 10, 30, 60);
    run("read", "A" + a + " " + actor + " reads the staff list",
        () -> send("GET", "/api/v1/account/staff", token(actor, a), null),
        () -> model.read(actor, a, now()), r -> null);
  }

  /** R13: the operator switches the rule on for one account from now, or back to the global date. */
  private void switchRuleOn() {
    int a = randomAccount();
    Instant from = rnd.nextInt(10) < 6 ? now() : null;
    waitForFlush();
    run("switchRuleOn", "operator: rule for A" + a + " from " + (from == null ? "the global date" : "now"),
        () -> send("PUT", "/api/v1/ops/accounts/" + accounts.get(a).id() + "/expiry-rule", null,
            new JsonObject().put("activeFrom", from == null ? null : from.toString()), TestApp.OPS_TOKEN),
        () -> model.switchRuleOn(a, from, now()), r -> null);
    observe(randomPartner(), a);
  }

  /**
   * The expiry sweep, only when the run says so (the service's sweep timer is off in this test): it stores
   * "expired" for what is past its expiry, which must change nothing any user sees (R14).
   */
  private void sweep() {
    waitForFlush();
    Instant cutoff = now().minusMillis(2 * flushMillis);
    run("sweep", "expiry sweep", () -> send("POST", "/api/v1/ops/expiry/sweep", null, null, TestApp.OPS_TOKEN),
        () -> model.sweep(cutoff), r -> null);
    observeLists(false);
  }

  /** A fresh account takes a slot, so accounts below 100 jobs keep appearing; the old one stays observable. */
  private void replaceAccount() {
    int slot = rnd.nextInt(slots.length);
    int old = slots[slot];
    slots[slot] = newAccount();
    count("replaceAccount");
    remember("replace A" + old + " by new A" + slots[slot]);
  }

  // ---- running and comparing -------------------------------------------------------------------

  private interface KeyReader {
    Integer key(Reply r);
  }

  private Reply run(String kind, String op, Supplier<Reply> service, Supplier<Outcome> reference, KeyReader keys) {
    count(kind);
    long accessesBefore = model.accesses();
    Reply r = service.get();
    Outcome expected = reference.get();
    if (model.accesses() != accessesBefore) {
      lastAccessNanos = System.nanoTime();
    }
    Integer key = r.status() / 100 == 2 ? keys.key(r) : null;
    Outcome actual = new Outcome(r.status(), r.reason(), expected.key() == null ? null : key);
    changed = expected.success() && MUTATIONS.contains(kind);
    outcomes.merge(kind + " " + expected.status() + (expected.reason() == null ? "" : " " + expected.reason()), 1,
        Integer::sum);
    remember(op + " => " + expected);
    if (!expected.equals(actual)) {
      throw mismatch(op, expected.toString(), actual + " (" + r + ")");
    }
    return r;
  }

  /** Maps the UUID in a reply to the key the model gave it (new on 201, known on 200). */
  private Integer registerKey(Reply r, String field, Map<UUID, Integer> keys, List<UUID> ids) {
    String s = r.json().getString(field);
    if (s == null) {
      return -1;
    }
    UUID id = UUID.fromString(s);
    Integer known = keys.get(id);
    if (known != null) {
      return known;
    }
    if (r.status() == 201) {
      keys.put(id, ids.size());
      ids.add(id);
      return ids.size() - 1;
    }
    return -1;
  }

  private void count(String op) {
    opCounts.merge(op, 1, Integer::sum);
  }

  private void remember(String line) {
    history.addLast("#" + step + " " + line);
    if (history.size() > HISTORY) {
      history.removeFirst();
    }
  }

  private Mismatch mismatch(String op, String expected, String actual) {
    return new Mismatch("seed " + seed + " (replay: -Dmodel.seed=" + seed + "), step " + step + ": " + op
        + "\n  model:   " + expected + "\n  service: " + actual + "\n  recent operations (model outcomes):\n    "
        + String.join("\n    ", history));
  }

  /** Waits until an access this run made has surely been flushed, so moving the clock cannot outrun it. */
  private void waitForFlush() {
    long since = (System.nanoTime() - lastAccessNanos) / 1_000_000;
    long needed = 3 * flushMillis;
    if (since < needed) {
      try {
        Thread.sleep(needed - since);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  // ---- what users see --------------------------------------------------------------------------

  /**
   * After an operation: the partner's Customers page always; the account's staff list after a change (and
   * every fourth step), as the Customers page already shows access, requests and jobs of the same pair.
   */
  private void observe(int p, int a) {
    boolean fresh = accessedRecently();
    compare("Customers page of P" + p, () -> lagTolerantCustomers(customersFromService(p), fresh),
        () -> lagTolerantCustomers(model.customersOf(p, now()), fresh));
    if (changed || step % 4 == 0) {
      compare("staff list of A" + a, () -> lagTolerantPartners(partnersFromService(a), fresh),
          () -> lagTolerantPartners(model.partnersOf(a, now()), fresh));
    }
  }

  /** True while the last access may not be flushed yet: the days left shown may still be the old ones. */
  private boolean accessedRecently() {
    return (System.nanoTime() - lastAccessNanos) / 1_000_000 < 3 * flushMillis;
  }

  private static Map<Integer, CustomerLine> lagTolerantCustomers(Map<Integer, CustomerLine> lines, boolean fresh) {
    if (!fresh) {
      return lines;
    }
    Map<Integer, CustomerLine> out = new TreeMap<>();
    lines.forEach((k, c) -> out.put(k, new CustomerLine(c.access(), c.pendingRequest(), c.canLogIn(), c.jobCount(),
        c.clockStarted(), null)));
    return out;
  }

  private static Map<Integer, PartnerLine> lagTolerantPartners(Map<Integer, PartnerLine> lines, boolean fresh) {
    if (!fresh) {
      return lines;
    }
    Map<Integer, PartnerLine> out = new TreeMap<>();
    lines.forEach((k, c) -> out.put(k, new PartnerLine(c.access(), c.pendingRequest(), null)));
    return out;
  }

  /**
   * Every partner's Customers page and every active account's staff list, after the last access is flushed;
   * with {@code all} also every account's staff list, pending invites and requests, and the partners' invites.
   */
  void observeLists(boolean all) {
    waitForFlush();
    for (int p = 0; p < model.partners(); p++) {
      int partner = p;
      compare("Customers page of P" + p, () -> customersFromService(partner), () -> model.customersOf(partner, now()));
      if (all) {
        compare("invites of P" + p, () -> partnerInvitesFromService(partner), () -> limit(model.invitesOf(partner,
            now()), 100));
      }
    }
    for (int a = 0; a < model.accounts(); a++) {
      if (!all && !isActive(a)) {
        continue;
      }
      int account = a;
      compare("staff list of A" + a, () -> partnersFromService(account), () -> model.partnersOf(account, now()));
      if (all) {
        compare("pending invites of A" + a, () -> accountInvitesFromService(account),
            () -> model.pendingInvitesFor(account, now()));
        compare("access requests of A" + a, () -> requestsFromService(account),
            () -> limit(model.requestsOf(account), 200));
      }
    }
  }

  /** The newest {@code n} entries (keys grow with creation time), as the service's lists are capped. */
  private static <V> Map<Integer, V> limit(Map<Integer, V> map, int n) {
    if (map.size() <= n) {
      return map;
    }
    TreeMap<Integer, V> out = new TreeMap<>(map);
    while (out.size() > n) {
      out.pollFirstEntry();
    }
    return out;
  }

  /** Compares a list; a difference is read again once after the flush lag before it counts. */
  private <T> void compare(String what, Supplier<T> service, Supplier<T> reference) {
    T actual = service.get();
    T expected = reference.get();
    if (Objects.equals(actual, expected)) {
      return;
    }
    listRetries++;
    if (listRetries <= 5) {
      LOG.info("step {}: {} differs, reading it again after the flush lag\n  model:   {}\n  service: {}", step, what,
          expected, actual);
    }
    try {
      Thread.sleep(3 * flushMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    actual = service.get();
    expected = reference.get();
    if (!Objects.equals(actual, expected)) {
      throw mismatch("observe " + what, String.valueOf(expected), String.valueOf(actual));
    }
  }

  private Map<Integer, CustomerLine> customersFromService(int p) {
    Reply r = expect(send("GET", "/api/v1/partner/customers?limit=100", partners.get(p).token(), null), 200);
    Map<Integer, CustomerLine> out = new TreeMap<>();
    for (Object o : r.json().getJsonArray("customers", new JsonArray())) {
      JsonObject c = (JsonObject) o;
      out.put(index(accountIndex, c.getString("accountId")), new CustomerLine(c.getString("access"),
          requestKey(c.getString("pendingRequestId")), Boolean.TRUE.equals(c.getBoolean("canLogIn")),
          c.getInteger("jobCount", -1), Boolean.TRUE.equals(c.getBoolean("expiryClockStarted")),
          c.getInteger("daysUntilExpiry")));
    }
    return out;
  }

  private Map<Integer, PartnerLine> partnersFromService(int a) {
    Reply r = expect(send("GET", "/api/v1/account/staff", accounts.get(a).owner(), null), 200);
    Map<Integer, PartnerLine> out = new TreeMap<>();
    for (Object o : r.json().getJsonArray("partners", new JsonArray())) {
      JsonObject c = (JsonObject) o;
      out.put(index(partnerIndex, c.getString("partnerId")), new PartnerLine(c.getString("access"),
          requestKey(c.getString("pendingRequestId")), c.getInteger("daysUntilExpiry")));
    }
    return out;
  }

  private Map<Integer, String> partnerInvitesFromService(int p) {
    Reply r = expect(send("GET", "/api/v1/partner/invites?limit=100", partners.get(p).token(), null), 200);
    return statuses(r.json().getJsonArray("invites"), inviteKeys);
  }

  private Map<Integer, String> accountInvitesFromService(int a) {
    Reply r = expect(send("GET", "/api/v1/account/partner-invites", accounts.get(a).owner(), null), 200);
    return statuses(r.json().getJsonArray("invites"), inviteKeys);
  }

  private Map<Integer, String> requestsFromService(int a) {
    Reply r = expect(send("GET", "/api/v1/account/access-requests", accounts.get(a).owner(), null), 200);
    return statuses(r.json().getJsonArray("requests"), requestKeys);
  }

  private static Map<Integer, String> statuses(JsonArray list, Map<UUID, Integer> keys) {
    Map<Integer, String> out = new TreeMap<>();
    int unknown = -1;
    for (Object o : list == null ? new JsonArray() : list) {
      JsonObject j = (JsonObject) o;
      Integer k = keys.get(UUID.fromString(j.getString("id")));
      out.put(k == null ? unknown-- : k, j.getString("status"));
    }
    return out;
  }

  private static int index(Map<UUID, Integer> map, String id) {
    Integer i = id == null ? null : map.get(UUID.fromString(id));
    return i == null ? -1 : i;
  }

  private Integer requestKey(String id) {
    if (id == null) {
      return null;
    }
    Integer k = requestKeys.get(UUID.fromString(id));
    return k == null ? -1 : k;
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  private Reply send(String method, String path, String token, JsonObject body) {
    return send(method, path, token, body, null);
  }

  private Reply send(String method, String path, String token, JsonObject body, String opsToken) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (opsToken != null) {
      b.header("X-Ops-Token", opsToken);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.encode()));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      String text = r.body();
      JsonObject json = text == null || !text.trim().startsWith("{") ? new JsonObject() : new JsonObject(text);
      return new Reply(r.statusCode(), json);
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Reply expect(Reply r, int status) {
    if (r.status() != status) {
      throw new IllegalStateException("seed " + seed + ", step " + step + ": expected " + status + " but got " + r);
    }
    return r;
  }

  void logSummary(long millis, int ops) {
    LOG.info("model run seed {}: {} operations in {} ms, {} accounts, {} invites, {} requests, {} list re-reads; {}",
        seed, ops, millis, accounts.size(), inviteIds.size(), requestIds.size(), listRetries, opCounts);
    LOG.info("model run seed {}: outcomes {}", seed, outcomes);
  }
}
