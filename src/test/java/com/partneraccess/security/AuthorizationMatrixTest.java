package com.partneraccess.security;

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
 * Every account route of openapi.yaml against every kind of caller, from one table ({@link #ROWS}). Each row a
 * caller passes gets a fresh account, so destructive routes (cancel, owner change, disconnect) never spoil
 * another row. Refused rows share two accounts (one for role refusals, one for locked-out partners, a foreign
 * partner and anonymous callers), which are checked unchanged at the end. R2, R7, R9, R10, R14, R19, R23.
 */
@DisplayName("Authorization matrix: every account route x every kind of caller")
class AuthorizationMatrixTest {

  /** The kinds of caller. */
  enum Who {
    OWNER, ADMIN, STAFF, PARTNER_ENABLED,
    PARTNER_DISABLED, PARTNER_EXPIRED, PARTNER_DISCONNECTED, ANOTHER_PARTNER, PARTNER_UNSCOPED, ANONYMOUS;

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

  /** One route and what each caller gets. Paths and bodies use {inviteId}, {partnerId}, {requestId}, {bannerId}, {userId}. */
  record Row(String method, String path, String body, Map<Who, Expect> expected) {}

  static final Expect OK = new Expect(200, null);
  static final Expect CREATED = new Expect(201, null);
  static final Expect OWNER_ONLY = new Expect(403, "OWNER_ONLY");
  static final Expect CUSTOMER_ONLY = new Expect(403, "CUSTOMER_ONLY");
  static final Expect ROLE_FORBIDDEN = new Expect(403, "ROLE_FORBIDDEN");

  /** What every route answers to the callers refused before its own rule (R7, R14, R19, R8, authentication). */
  static final Map<Who, Expect> LOCKED_OUT = Map.of(
      Who.PARTNER_DISABLED, new Expect(403, "ACCESS_DISABLED"),
      Who.PARTNER_EXPIRED, new Expect(403, "ACCESS_EXPIRED"),
      Who.PARTNER_DISCONNECTED, new Expect(403, "NOT_CONNECTED"),
      Who.ANOTHER_PARTNER, new Expect(403, "NOT_CONNECTED"),
      Who.PARTNER_UNSCOPED, new Expect(403, "ACCOUNT_SCOPE_REQUIRED"),
      Who.ANONYMOUS, new Expect(401, "UNAUTHENTICATED"));

  static Row row(String method, String path, String body, Expect owner, Expect admin, Expect staff, Expect partner) {
    Map<Who, Expect> m = new EnumMap<>(Who.class);
    m.put(Who.OWNER, owner);
    m.put(Who.ADMIN, admin);
    m.put(Who.STAFF, staff);
    m.put(Who.PARTNER_ENABLED, partner);
    m.putAll(LOCKED_OUT);
    return new Row(method, path, body, m);
  }

  /** THE table: every /account operation of openapi.yaml. Columns: owner, admin, staff, partner with access. */
  static final List<Row> ROWS = List.of(
      row("GET", "/account", null, OK, OK, OK, OK),
      row("GET", "/account/jobs", null, OK, OK, OK, OK),
      row("POST", "/account/jobs", "{\"title\":\"Matrix job\",\"quantity\":2}", CREATED, CREATED, CREATED, CREATED),
      row("GET", "/account/staff", null, OK, OK, OK, OK),
      row("POST", "/account/staff", "{\"name\":\"Matrix hire\",\"email\":\"{email}\",\"password\":\"password-123\",\"role\":\"staff\"}",
          CREATED, CREATED, ROLE_FORBIDDEN, CREATED),
      row("GET", "/account/partner-invites", null, OK, OK, ROLE_FORBIDDEN, CUSTOMER_ONLY),
      row("POST", "/account/partner-invites/{inviteId}/accept", null, OK, OWNER_ONLY, OWNER_ONLY, OWNER_ONLY),
      row("POST", "/account/partner-invites/{inviteId}/decline", null, OK, OWNER_ONLY, OWNER_ONLY, OWNER_ONLY),
      row("PUT", "/account/partners/{partnerId}/access", "{\"enabled\":true}", OK, OK, ROLE_FORBIDDEN, CUSTOMER_ONLY),
      row("POST", "/account/partners/{partnerId}/disconnect", "{\"reason\":\"matrix\"}", OK, OK, ROLE_FORBIDDEN, CUSTOMER_ONLY),
      row("GET", "/account/access-requests", null, OK, OK, ROLE_FORBIDDEN, CUSTOMER_ONLY),
      row("POST", "/account/access-requests/{requestId}/approve", null, OK, OK, ROLE_FORBIDDEN, CUSTOMER_ONLY),
      row("POST", "/account/access-requests/{requestId}/deny", null, OK, OK, ROLE_FORBIDDEN, CUSTOMER_ONLY),
      row("GET", "/account/banners", null, OK, OK, ROLE_FORBIDDEN, CUSTOMER_ONLY),
      row("POST", "/account/banners/{bannerId}/dismiss", null, OK, OK, ROLE_FORBIDDEN, CUSTOMER_ONLY),
      row("GET", "/account/activity", null, OK, OWNER_ONLY, OWNER_ONLY, OWNER_ONLY),
      row("GET", "/account/subscription", null, OK, OWNER_ONLY, OWNER_ONLY, OWNER_ONLY),
      row("PUT", "/account/subscription", "{\"plan\":\"premium\"}", OK, OWNER_ONLY, OWNER_ONLY, OWNER_ONLY),
      row("POST", "/account/cancel", "{\"reason\":\"matrix\"}", OK, OWNER_ONLY, OWNER_ONLY, OWNER_ONLY),
      row("PUT", "/account/owner", "{\"userId\":\"{userId}\"}", OK, OWNER_ONLY, OWNER_ONLY, OWNER_ONLY));

  /** The partner portal: no customer token is ever accepted there. */
  static final List<Row> PARTNER_ROUTES = List.of(
      portal("GET", "/partner/customers", null),
      portal("POST", "/partner/customers", "{\"businessName\":\"Sneaky\"}"),
      portal("DELETE", "/partner/customers/{accountId}", null),
      portal("POST", "/partner/customers/{accountId}/owner", "{\"name\":\"N\",\"email\":\"{email}\",\"password\":\"password-123\"}"),
      portal("POST", "/partner/customers/{accountId}/access-requests", null),
      portal("POST", "/partner/customers/{accountId}/sessions", null),
      portal("GET", "/partner/invites", null),
      portal("POST", "/partner/invites", "{\"accountId\":\"{accountId}\"}"),
      portal("DELETE", "/partner/invites/{inviteId}", null),
      portal("POST", "/partner/invites/{inviteId}/resend", null),
      portal("GET", "/partner/profile", null),
      portal("GET", "/partner/commission", null),
      portal("GET", "/partner/commission/history", null),
      portal("GET", "/partner/banners", null),
      portal("POST", "/partner/banners/{bannerId}/dismiss", null));

  static Row portal(String method, String path, String body) {
    Map<Who, Expect> m = new EnumMap<>(Who.class);
    for (Who w : new Who[] {Who.OWNER, Who.ADMIN, Who.STAFF}) {
      m.put(w, new Expect(403, "PARTNER_ONLY"));
    }
    m.put(Who.ANONYMOUS, new Expect(401, "UNAUTHENTICATED"));
    return new Row(method, path, body, m);
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
    final Map<Who, String> tokens = new EnumMap<>(Who.class);

    String accountId() {
      return owner.accountId();
    }

    String fill(String template) {
      return template.replace("{inviteId}", inviteId).replace("{partnerId}", requester.partnerId())
          .replace("{requestId}", requestId).replace("{bannerId}", bannerId).replace("{userId}", admin.userId())
          .replace("{accountId}", accountId()).replace("{email}", ApiClient.uniqueEmail("matrix"));
    }
  }

  /** Partners reused by every account (a partner may serve many customers): fewer sign-ups per row. */
  static PartnerUser helper;
  static PartnerUser requester;
  static PartnerUser inviter;

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
    w.tokens.put(Who.PARTNER_UNSCOPED, w.enabledPartner.token());
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
    requester = api.signUpPartner("Matrix Requester");
    inviter = api.signUpPartner("Matrix Inviter");

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
    api.advanceClock(61);
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

  /** A fresh account for a row that succeeds (it may destroy what it acts on); shared ones for refusals. */
  private static World worldFor(Row row, Who who) {
    if (!who.reachesRouteRule()) {
      return shared;
    }
    return row.expected().get(who).reason() == null ? newWorld("Matrix " + who + " " + row.method() + row.path()) : roleWorld;
  }

  @TestFactory
  @DisplayName("R9 R10 R7 R14 R19 Every account route answers each caller with the status and reason of the table")
  Stream<DynamicTest> accountRoutes() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Row row : ROWS) {
      for (Who who : Who.values()) {
        Expect e = row.expected().get(who);
        String name = row.method() + " " + row.path() + " as " + who + " -> " + e;
        tests.add(DynamicTest.dynamicTest(name, () -> check(row, who, worldFor(row, who))));
      }
    }
    return tests.stream();
  }

  @TestFactory
  @DisplayName("The partner portal refuses customer tokens with PARTNER_ONLY and anonymous callers with 401")
  Stream<DynamicTest> partnerRoutes() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Row row : PARTNER_ROUTES) {
      row.expected().forEach((who, e) -> tests.add(DynamicTest.dynamicTest(
          row.method() + " " + row.path() + " as " + who + " -> " + e, () -> check(row, who, shared))));
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
    documented.forEach(op -> {
      if (op.contains(" /account")) {
        account.add(op);
      } else if (op.contains(" /partner/")) {
        portal.add(op);
      }
    });
    assertThat(ROWS.stream().map(r -> r.method() + " " + r.path()).map(AuthorizationMatrixTest::normalise).toList())
        .containsExactlyInAnyOrderElementsOf(account.stream().map(AuthorizationMatrixTest::normalise).toList());
    assertThat(PARTNER_ROUTES.stream().map(r -> r.method() + " " + r.path()).map(AuthorizationMatrixTest::normalise).toList())
        .containsExactlyInAnyOrderElementsOf(portal.stream().map(AuthorizationMatrixTest::normalise).toList());
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
      row.expected().keySet().forEach(who -> check(row, who, shared));
    }
    assertThat(snapshot(shared)).isEqualTo(sharedBefore);
    assertThat(snapshot(roleWorld)).isEqualTo(roleWorldBefore);
  }
}
