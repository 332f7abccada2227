package com.partneraccess.security;

import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Role;
import com.partneraccess.bus.DomainException;
import com.partneraccess.rules.RuleFixtures;
import com.partneraccess.rules.RuleFixtures.StaffUser;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static com.partneraccess.rules.RuleFixtures.assertRefused;
import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every account and portal route of openapi.yaml against every kind of caller; what each caller gets is
 * generated from the one permission table ({@link Operation}) the services consult. Each row a
 * caller passes gets a fresh account, so destructive routes (cancel, owner change, disconnect) never spoil
 * another row. Refused rows share two accounts (one for role refusals, one for locked-out partners, a foreign
 * partner and anonymous callers), which are checked unchanged at the end. R2, R7, R9, R10, R14, R19, R23.
 */
@DisplayName("Authorization matrix: every account route x every kind of caller")
class AuthorizationMatrixTest {

  /** The kinds of caller. */
  enum Who {
    OWNER, ADMIN, STAFF, PARTNER_ENABLED,
    PARTNER_DISABLED, PARTNER_EXPIRED, PARTNER_DISCONNECTED, ANOTHER_PARTNER, PARTNER_UNSCOPED,
    /** R28: a member of the helper partner's team (PARTNER_UNSCOPED is its admin), assigned every world's account. */
    PARTNER_MEMBER, ANONYMOUS;

    boolean reachesRouteRule() {
      return ordinal() <= PARTNER_ENABLED.ordinal();
    }
  }

  /** An expected answer: a status and, for a refusal, its reason. */
  record Expect(int status, String reason) {
    @Override
    public String toString() {
      return reason == null ? String.valueOf(status) : status + " " + reason;
    }
  }

  /** One route, the operation of the permission table it performs, and what each caller gets. */
  record Row(String method, String path, String body, Operation op, Map<Who, Expect> expected) {}

  static final Expect OK = new Expect(200, null);
  static final Expect CREATED = new Expect(201, null);

  /** What every route answers to the callers refused before its own rule (R7, R14, R19, R8, authentication). */
  static final Map<Who, Expect> LOCKED_OUT = Map.of(
      Who.PARTNER_DISABLED, new Expect(403, "ACCESS_DISABLED"),
      Who.PARTNER_EXPIRED, new Expect(403, "ACCESS_EXPIRED"),
      Who.PARTNER_DISCONNECTED, new Expect(403, "NOT_CONNECTED"),
      Who.ANOTHER_PARTNER, new Expect(403, "NOT_CONNECTED"),
      Who.PARTNER_UNSCOPED, new Expect(403, "ACCOUNT_SCOPE_REQUIRED"),
      Who.ANONYMOUS, new Expect(401, "UNAUTHENTICATED"));

  /** The caller kind of the permission table each test caller is. */
  static final Map<Who, Role> ROLE = Map.of(Who.OWNER, Role.OWNER, Who.ADMIN, Role.ADMIN, Who.STAFF, Role.STAFF,
      Who.PARTNER_ENABLED, Role.PARTNER_IN_ACCOUNT, Who.PARTNER_UNSCOPED, Role.PARTNER_ADMIN,
      Who.PARTNER_MEMBER, Role.PARTNER, Who.ANONYMOUS, Role.ANONYMOUS);

  /** What the permission table says a caller gets: {@code success} if allowed, else the table's refusal. */
  static Expect fromTable(Operation op, Role role, Expect success) {
    if (op.allows(role)) {
      return success;
    }
    DomainException refusal = Permissions.refusal(role, op);
    return new Expect(refusal.problem().status, refusal.problem().name());
  }

  /** An account route: the four callers that reach the route's rule get what the table says. */
  static Row row(String method, String path, String body, Operation op, Expect success) {
    Map<Who, Expect> m = new EnumMap<>(Who.class);
    for (Who w : new Who[] {Who.OWNER, Who.ADMIN, Who.STAFF, Who.PARTNER_ENABLED}) {
      m.put(w, fromTable(op, ROLE.get(w), success));
    }
    m.putAll(LOCKED_OUT);
    return new Row(method, path, body, op, m);
  }

  /** THE route list: every /account operation of openapi.yaml and the operation of the table it performs. */
  static final List<Row> ROWS = List.of(
      row("GET", "/account", null, Operation.VIEW_ACCOUNT, OK),
      row("GET", "/account/jobs", null, Operation.LIST_JOBS, OK),
      row("POST", "/account/jobs", "{\"title\":\"Matrix job\",\"quantity\":2}", Operation.CREATE_JOBS, CREATED),
      row("GET", "/account/staff", null, Operation.LIST_STAFF, OK),
      row("POST", "/account/staff", "{\"name\":\"Matrix hire\",\"email\":\"{email}\",\"role\":\"staff\"}",
          Operation.ADD_STAFF, CREATED),
      row("POST", "/account/staff/{pendingUserId}/confirm", null, Operation.CONFIRM_STAFF, OK),
      row("GET", "/account/partner-invites", null, Operation.LIST_PARTNER_INVITES, OK),
      row("POST", "/account/partner-invites/{inviteId}/accept", null, Operation.DECIDE_PARTNER_INVITE, OK),
      row("POST", "/account/partner-invites/{inviteId}/decline", null, Operation.DECIDE_PARTNER_INVITE, OK),
      row("PUT", "/account/partners/{partnerId}/access", "{\"enabled\":true}", Operation.SET_PARTNER_ACCESS, OK),
      row("POST", "/account/partners/{partnerId}/disconnect", "{\"reason\":\"matrix\"}", Operation.DISCONNECT_PARTNER, OK),
      row("GET", "/account/access-requests", null, Operation.LIST_ACCESS_REQUESTS, OK),
      row("POST", "/account/access-requests/{requestId}/approve", null, Operation.DECIDE_ACCESS_REQUEST, OK),
      row("POST", "/account/access-requests/{requestId}/deny", null, Operation.DECIDE_ACCESS_REQUEST, OK),
      row("GET", "/account/banners", null, Operation.LIST_BANNERS, OK),
      row("POST", "/account/banners/{bannerId}/dismiss", null, Operation.DISMISS_BANNER, OK),
      row("GET", "/account/activity", null, Operation.VIEW_ACTIVITY, OK),
      row("GET", "/account/activity/at", null, Operation.VIEW_ACCESS_HISTORY, OK),
      row("GET", "/account/activity/export", null, Operation.EXPORT_ACTIVITY, OK),
      row("GET", "/account/subscription", null, Operation.VIEW_SUBSCRIPTION, OK),
      row("PUT", "/account/subscription", "{\"plan\":\"premium\"}", Operation.CHANGE_SUBSCRIPTION, OK),
      row("POST", "/account/cancel", "{\"reason\":\"matrix\"}", Operation.CANCEL_ACCOUNT, OK),
      row("PUT", "/account/owner", "{\"userId\":\"{userId}\"}", Operation.CHANGE_OWNER, OK),
      row("GET", "/account/partner-directory", null, Operation.FIND_PARTNERS, OK),
      row("POST", "/account/partner-directory/{listedPartnerId}/leads", "{\"message\":\"Matrix lead\"}",
          Operation.CONTACT_PARTNER, CREATED),
      // R30: {reviewId} is no review of the account: the owner passes the table and gets the operation's 404
      row("GET", "/account/reviews", null, Operation.VIEW_ACCESS_REVIEWS, OK),
      row("GET", "/account/reviews/{reviewId}", null, Operation.VIEW_ACCESS_REVIEWS, new Expect(404, "NOT_FOUND")),
      row("POST", "/account/reviews/{reviewId}/partners/{partnerId}", "{\"decision\":\"keep\"}",
          Operation.DECIDE_ACCESS_REVIEW, new Expect(404, "NOT_FOUND")));

  /**
   * The partner portal: customer tokens get the table's refusal, anonymous callers 401; the partner, with its
   * portal token and with an account-scoped one, passes the table and gets the operation's own answer in a
   * fresh account (where the state refuses, as a hand-over of an account that has an owner, that refusal).
   */
  static final List<Row> PARTNER_ROUTES = List.of(
      portal("GET", "/partner/customers", null, Operation.LIST_CUSTOMERS, OK),
      portal("POST", "/partner/customers", "{\"businessName\":\"Sneaky\"}", Operation.ADD_CUSTOMER, CREATED),
      portal("DELETE", "/partner/customers/{accountId}", null, Operation.DISCONNECT_CUSTOMER, OK),
      portal("POST", "/partner/customers/{accountId}/owner", "{\"name\":\"N\",\"email\":\"{email}\"}",
          Operation.HAND_OVER_CUSTOMER, new Expect(409, "OWNER_EXISTS")),
      portal("POST", "/partner/customers/{accountId}/access-requests", "{\"reason\":\"matrix\"}", Operation.REQUEST_ACCESS,
          new Expect(409, "ACCESS_ALREADY_ENABLED")),
      portal("POST", "/partner/customers/{accountId}/sessions", null, Operation.LOG_IN_TO_CUSTOMER, CREATED),
      portal("GET", "/partner/invites", null, Operation.LIST_INVITES, OK),
      portal("POST", "/partner/invites", "{\"accountId\":\"{accountId}\"}", Operation.CREATE_INVITE,
          new Expect(409, "ALREADY_CONNECTED")),
      portal("DELETE", "/partner/invites/{inviteId}", null, Operation.WITHDRAW_INVITE, new Expect(404, "NOT_FOUND")),
      portal("POST", "/partner/invites/{inviteId}/resend", null, Operation.RESEND_INVITE, new Expect(404, "NOT_FOUND")),
      portal("GET", "/partner/profile", null, Operation.VIEW_PROFILE, OK),
      portal("GET", "/partner/commission", null, Operation.VIEW_COMMISSION, OK),
      portal("GET", "/partner/commission/history", null, Operation.VIEW_COMMISSION, OK),
      portal("GET", "/partner/banners", null, Operation.LIST_PARTNER_BANNERS, OK),
      portal("POST", "/partner/banners/{bannerId}/dismiss", null, Operation.DISMISS_PARTNER_BANNER,
          new Expect(404, "NOT_FOUND")),
      // R28: the team ({teammateId}: a member of the helper's team made for the world)
      portal("GET", "/partner/team", null, Operation.LIST_TEAM, OK),
      portal("POST", "/partner/team/invites", "{\"name\":\"Matrix mate\",\"email\":\"{email}\"}",
          Operation.INVITE_TEAMMATE, CREATED),
      portal("PUT", "/partner/team/{teammateId}/role", "{\"role\":\"admin\"}", Operation.SET_TEAMMATE_ROLE, OK),
      portal("PUT", "/partner/team/{teammateId}/customers/{accountId}", null, Operation.ASSIGN_CUSTOMERS, OK),
      portal("DELETE", "/partner/team/{teammateId}/customers/{accountId}", null, Operation.ASSIGN_CUSTOMERS, OK),
      portal("DELETE", "/partner/team/{teammateId}", null, Operation.REMOVE_TEAMMATE, OK),
      portal("DELETE", "/partner/customers/{accountId}/access-requests", null, Operation.WITHDRAW_ACCESS_REQUEST,
          new Expect(404, "NOT_FOUND")),
      // the shared account's partner keeps its name, so the refusal rows' snapshot of that account stays the same
      portal("PUT", "/partner/organisation", "{\"name\":\"Matrix Helper\"}", Operation.CHANGE_ORGANISATION, OK),
      portal("GET", "/partner/listing", null, Operation.VIEW_LISTING, OK),
      portal("PUT", "/partner/listing", "{\"listed\":false}", Operation.EDIT_LISTING, OK),
      portal("GET", "/partner/leads", null, Operation.LIST_LEADS, OK),
      portal("POST", "/partner/leads/{leadId}/handled", null, Operation.HANDLE_LEAD, new Expect(404, "NOT_FOUND")),
      portal("POST", "/partner/leads/{leadId}/invite", null, Operation.HANDLE_LEAD, new Expect(404, "NOT_FOUND")));

  /**
   * R27: every signed-in user's own notification centre: every caller with a token (a partner whose access ended
   * too: these are its own notifications, not the account's) gets the table's answer; anonymous callers 401.
   */
  static final List<Row> SELF_ROUTES = List.of(
      self("GET", "/notifications", null, Operation.VIEW_NOTIFICATIONS),
      self("POST", "/notifications/read-all", null, Operation.MARK_NOTIFICATIONS_READ),
      self("GET", "/notifications/preferences", null, Operation.VIEW_NOTIFICATIONS),
      // the kind is one the account's owner and admins receive: staff and partners pass the table, then are told
      // it is not one of theirs
      self("PUT", "/notifications/preferences", "{\"preferences\":[{\"kind\":\"access_requested\",\"email\":true}]}",
          Operation.SET_NOTIFICATION_PREFERENCES, new Expect(400, "VALIDATION_FAILED")));

  static Row self(String method, String path, String body, Operation op) {
    return self(method, path, body, op, OK);
  }

  /** {@code notOwnersKind}: what callers other than the owner and admins get once the table let them through. */
  static Row self(String method, String path, String body, Operation op, Expect notOwnersKind) {
    Map<Who, Expect> m = new EnumMap<>(Who.class);
    for (Who w : Who.values()) {
      boolean manager = w == Who.OWNER || w == Who.ADMIN;
      m.put(w, fromTable(op, ROLE.getOrDefault(w, Role.PARTNER_IN_ACCOUNT), manager ? OK : notOwnersKind));
    }
    return new Row(method, path, body, op, m);
  }

  static Row portal(String method, String path, String body, Operation op, Expect partnerAnswer) {
    Map<Who, Expect> m = new EnumMap<>(Who.class);
    for (Who w : new Who[] {Who.OWNER, Who.ADMIN, Who.STAFF, Who.PARTNER_UNSCOPED, Who.PARTNER_MEMBER, Who.PARTNER_ENABLED,
        Who.ANONYMOUS}) {
      m.put(w, fromTable(op, ROLE.get(w), partnerAnswer));
    }
    return new Row(method, path, body, op, m);
  }

  static TestApp app;
  static ApiClient api;
  static RuleFixtures fx;
  /** The account shared by the callers refused before any route rule. */
  static World shared;
  static JsonObject sharedBefore;
  /** The account shared by the rows where a role rule refuses the owner, an admin, staff or a partner with access. */
  static World roleWorld;
  static JsonObject roleWorldBefore;

  /** One customer account with everything a route may act on, and a token per kind of caller. */
  static final class World {
    Customer owner;
    StaffUser admin;
    StaffUser staff;
    PartnerUser enabledPartner;
    PartnerUser requester;
    String inviteId;
    String requestId;
    String bannerId;
    /** R24: a user the enabled partner added, awaiting the owner's confirmation. */
    String pendingUserId;
    /** R28: a member of the helper's team, for the team routes to act on. */
    String teammateId;
    final Map<Who, String> tokens = new EnumMap<>(Who.class);

    String accountId() {
      return owner.accountId();
    }

    String fill(String template) {
      return template.replace("{inviteId}", inviteId).replace("{partnerId}", requester.partnerId())
          .replace("{requestId}", requestId).replace("{bannerId}", bannerId).replace("{userId}", admin.userId())
          .replace("{pendingUserId}", pendingUserId).replace("{teammateId}", teammateId).replace("{accountId}", accountId()).replace("{email}", ApiClient.uniqueEmail("matrix"))
          .replace("{listedPartnerId}", listed.partnerId()).replace("{leadId}", java.util.UUID.randomUUID().toString())
          .replace("{reviewId}", java.util.UUID.randomUUID().toString());
    }
  }

  /** Partners reused by every account (a partner may serve many customers): fewer sign-ups per row. */
  static PartnerUser helper;
  static PartnerUser requester;
  static PartnerUser inviter;
  /** R28: a member of the helper's team. */
  static PartnerUser member;
  /** A partner in the directory, which the customers of the matrix contact. */
  static PartnerUser listed;

  static World newWorld(String name) {
    World w = new World();
    w.owner = api.signUpCustomer(name, null);
    w.admin = fx.staff(w.owner, "admin");
    w.staff = fx.staff(w.owner, "staff");
    w.enabledPartner = helper;
    api.connectByInvite(w.enabledPartner, w.owner);
    w.requester = requester;
    api.connectByInvite(w.requester, w.owner);
    expect(api.setAccess(w.owner, w.requester.partnerId(), false), 200);
    w.requestId = fx.requestAccessId(w.requester, w.accountId());
    w.bannerId = fx.accountBanners(w.owner.token()).get(0).getString("id");
    w.inviteId = fx.invite(inviter, w.accountId());
    w.tokens.put(Who.OWNER, w.owner.token());
    w.tokens.put(Who.ADMIN, w.admin.token());
    w.tokens.put(Who.STAFF, w.staff.token());
    w.tokens.put(Who.PARTNER_ENABLED, api.session(w.enabledPartner, w.accountId()));
    w.pendingUserId = fx.partnerAddedStaff(w.tokens.get(Who.PARTNER_ENABLED)).userId();
    w.tokens.put(Who.PARTNER_UNSCOPED, w.enabledPartner.token());
    expect(fx.assign(helper, member, w.accountId()), 200);
    w.tokens.put(Who.PARTNER_MEMBER, member.token());
    w.teammateId = fx.teammate(helper, "Matrix teammate", "member").userId();
    return w;
  }

  /** What a refusal must not change in the shared account. */
  static JsonObject snapshot(World w) {
    JsonObject account = expect(api.get("/api/v1/account", w.owner.token()), 200).json();
    JsonObject staff = expect(api.get("/api/v1/account/staff", w.owner.token()), 200).json();
    // a partner refused by a role rule still made a request inside the account: it counts as an access (R11)
    staff.getJsonArray("partners").forEach(p -> ((JsonObject) p).remove("lastAccessedAt"));
    return new JsonObject()
        .put("status", account.getString("status")).put("plan", account.getString("plan"))
        .put("ownerEmail", account.getString("ownerEmail")).put("jobCount", account.getInteger("jobCount"))
        .put("staff", staff)
        .put("requests", expect(api.get("/api/v1/account/access-requests", w.owner.token()), 200).json())
        .put("banners", expect(api.get("/api/v1/account/banners", w.owner.token()), 200).json())
        .put("invites", expect(api.get("/api/v1/account/partner-invites", w.owner.token()), 200).json())
        .put("activity", expect(api.get("/api/v1/account/activity", w.owner.token()), 200).json());
  }

  @BeforeAll
  static void start() {
    app = TestApp.start(RuleFixtures.productConfig());
    api = app.api();
    fx = new RuleFixtures(app);
    helper = api.signUpPartner("Matrix Helper");
    member = fx.teammate(helper, "Matrix Member", "member");
    requester = api.signUpPartner("Matrix Requester");
    inviter = api.signUpPartner("Matrix Inviter");
    listed = api.signUpPartner("Matrix Listed");
    expect(api.put("/api/v1/partner/listing", listed.token(), new JsonObject().put("listed", true).put("region", "Matrix")
        .put("services", new io.vertx.core.json.JsonArray().add("tax")).put("description", "Listed for the matrix")), 200);

    shared = newWorld("Shared Matrix");
    PartnerUser disabled = api.signUpPartner("Matrix Disabled");
    PartnerUser expired = api.signUpPartner("Matrix Expired");
    PartnerUser disconnected = api.signUpPartner("Matrix Disconnected");
    for (PartnerUser p : List.of(disabled, expired, disconnected)) {
      api.connectByInvite(p, shared.owner);
    }
    shared.tokens.put(Who.PARTNER_DISABLED, api.session(disabled, shared.accountId()));
    shared.tokens.put(Who.PARTNER_EXPIRED, api.session(expired, shared.accountId()));
    shared.tokens.put(Who.PARTNER_DISCONNECTED, api.session(disconnected, shared.accountId()));
    expect(api.setAccess(shared.owner, disabled.partnerId(), false), 200);
    expect(fx.disconnectByCustomer(shared.owner, disconnected.partnerId(), null), 200);
    PartnerUser another = api.signUpPartner("Matrix Another");
    shared.tokens.put(Who.ANOTHER_PARTNER, TestTokens.signed(TestTokens.partnerClaims(another.userId(),
        another.partnerId(), shared.accountId(), "Matrix Another user")));
    shared.tokens.put(Who.ANONYMOUS, null);
    // R12/R11: the clock runs for this account; 61 days later the partner that was not disabled has expired.
    // Only this account has 100 jobs, so the fresh accounts built later never expire.
    expect(api.createJobs(shared.owner.token(), 100), 201);
    // the sweep runs now, so its timer cannot change the shared account after the snapshot
    expect(api.post("/api/v1/test/clock", null, new JsonObject().put("days", 61).put("sweep", true)), 200);
    sharedBefore = snapshot(shared);
    roleWorld = newWorld("Role Matrix");
    roleWorldBefore = snapshot(roleWorld);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static void check(Row row, Who who, World w) {
    Expect e = row.expected().get(who);
    String body = row.body() == null ? null : w.fill(row.body());
    Reply r = api.call(row.method(), "/api/v1" + w.fill(row.path()), w.tokens.get(who), body);
    if (e.reason() == null) {
      assertThat(r.status()).as("%s %s as %s: %s", row.method(), row.path(), who, r).isEqualTo(e.status());
    } else {
      assertRefused(r, e.status(), e.reason());
    }
  }

  /** A fresh account for a row the table allows (it may destroy what it acts on); shared ones for refusals. */
  private static World worldFor(Row row, Who who) {
    Role role = ROLE.get(who);
    if (role != null && row.op().allows(role)) {
      return newWorld("Matrix " + who + " " + row.method() + row.path());
    }
    return who.reachesRouteRule() ? roleWorld : shared;
  }

  @TestFactory
  @DisplayName("R9 R10 R7 R14 R19 Every account route answers each caller with the status and reason of the table")
  Stream<DynamicTest> accountRoutes() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Row row : ROWS) {
      for (Who who : Who.values()) {
        Expect e = row.expected().get(who);
        if (e == null) {
          continue; // R28: a team member is a caller of the portal only
        }
        String name = row.method() + " " + row.path() + " as " + who + " -> " + e;
        tests.add(DynamicTest.dynamicTest(name, () -> check(row, who, worldFor(row, who))));
      }
    }
    return tests.stream();
  }

  @TestFactory
  @DisplayName("R27 The notification centre: every caller with a token gets its own, anonymous callers 401")
  Stream<DynamicTest> ownRoutes() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Row row : SELF_ROUTES) {
      row.expected().forEach((who, e) -> tests.add(DynamicTest.dynamicTest(
          row.method() + " " + row.path() + " as " + who + " -> " + e, () -> check(row, who, shared))));
    }
    return tests.stream();
  }

  @TestFactory
  @DisplayName("The partner portal: customer tokens get PARTNER_ONLY, anonymous callers 401, partners pass the table")
  Stream<DynamicTest> partnerRoutes() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Row row : PARTNER_ROUTES) {
      row.expected().forEach((who, e) -> tests.add(DynamicTest.dynamicTest(
          row.method() + " " + row.path() + " as " + who + " -> " + e, () -> check(row, who, worldFor(row, who)))));
    }
    return tests.stream();
  }

  @Test
  @DisplayName("The table covers every /account operation of openapi.yaml")
  void tableCoversTheContract() {
    String doc = expect(api.get("/openapi.yaml", null), 200).body();
    Set<String> documented = new LinkedHashSet<>();
    String path = null;
    for (String line : doc.split("\n")) {
      if (line.startsWith("  /")) {
        path = line.trim().replace(":", "");
      } else if (path != null && line.matches("^    (get|post|put|delete|patch):.*")) {
        documented.add(line.trim().replace(":", "").toUpperCase() + " " + path);
      }
    }
    Set<String> account = new LinkedHashSet<>();
    Set<String> portal = new LinkedHashSet<>();
    Set<String> own = new LinkedHashSet<>();
    documented.forEach(op -> {
      if (op.contains(" /account")) {
        account.add(op);
      } else if (op.contains(" /partner/")) {
        portal.add(op);
      } else if (op.contains(" /notifications") && !op.contains("{")) {
        own.add(op);
      }
    });
    assertThat(SELF_ROUTES.stream().map(r -> r.method() + " " + r.path()).toList()).containsExactlyInAnyOrderElementsOf(own);
    assertThat(ROWS.stream().map(r -> r.method() + " " + r.path()).map(AuthorizationMatrixTest::normalise).toList())
        .containsExactlyInAnyOrderElementsOf(account.stream().map(AuthorizationMatrixTest::normalise).toList());
    assertThat(PARTNER_ROUTES.stream().map(r -> r.method() + " " + r.path()).map(AuthorizationMatrixTest::normalise).toList())
        .containsExactlyInAnyOrderElementsOf(portal.stream().map(AuthorizationMatrixTest::normalise).toList());
  }

  @Test
  @DisplayName("Every operation of the permission table is performed by at least one API route of the matrix")
  void everyOperationHasARoute() {
    Set<Operation> covered = new LinkedHashSet<>();
    ROWS.forEach(r -> covered.add(r.op()));
    PARTNER_ROUTES.forEach(r -> covered.add(r.op()));
    SELF_ROUTES.forEach(r -> covered.add(r.op()));
    assertThat(covered).containsExactlyInAnyOrder(Operation.values());
  }

  private static String normalise(String op) {
    return op.replaceAll("\\{[^}]+}", "{}");
  }

  @Test
  @DisplayName("A hand-minted token for a connected partner is accepted, so the foreign partner's refusal is about the connection")
  void mintedTokensAreValid() {
    World w = newWorld("Matrix Minted");
    JsonObject issued = TestTokens.payload(w.tokens.get(Who.PARTNER_ENABLED));
    String minted = TestTokens.signed(TestTokens.partnerClaims(issued.getString("sub"), issued.getString("pid"),
        w.accountId(), "Minted"));
    expect(api.get("/api/v1/account", minted), 200);
  }

  @Test
  @DisplayName("Refused callers changed nothing in the shared accounts")
  void refusalsChangeNothing() {
    // runs in any order relative to the factories: it re-plays every refused row and compares
    for (Row row : ROWS) {
      row.expected().forEach((who, e) -> {
        if (e.reason() != null) {
          check(row, who, who.reachesRouteRule() ? roleWorld : shared);
        }
      });
    }
    for (Row row : PARTNER_ROUTES) {
      row.expected().forEach((who, e) -> {
        if (!row.op().allows(ROLE.get(who))) {
          check(row, who, shared);
        }
      });
    }
    assertThat(snapshot(shared)).isEqualTo(sharedBefore);
    assertThat(snapshot(roleWorld)).isEqualTo(roleWorldBefore);
  }
}
