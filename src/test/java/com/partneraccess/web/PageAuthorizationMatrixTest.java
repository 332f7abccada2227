package com.partneraccess.web;

import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Role;
import com.partneraccess.bus.DomainException;
import com.partneraccess.rules.RuleFixtures;
import com.partneraccess.rules.RuleFixtures.StaffUser;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages against every kind of caller, generated from the same permission table ({@link Operation}) as the
 * API matrix: a caller the table allows gets the page (200) or its form's redirect (303); a caller it refuses
 * gets the HTML error page with the table's status and reason. Signed-out visitors are sent to sign in.
 * Together with {@code security/AuthorizationMatrixTest} this proves the two interfaces cannot disagree on
 * who may do what. R2, R7, R9, R10, R23.
 */
@DisplayName("Authorization matrix of the pages: every page route x every kind of caller, from the one table")
class PageAuthorizationMatrixTest {

  enum Who {
    OWNER(Role.OWNER), ADMIN(Role.ADMIN), STAFF(Role.STAFF), PARTNER_IN_ACCOUNT(Role.PARTNER_IN_ACCOUNT),
    PARTNER_ADMIN(Role.PARTNER_ADMIN),
    /** R28: a member of the helper partner's team, assigned every world's account. */
    PARTNER_MEMBER(Role.PARTNER), ANONYMOUS(Role.ANONYMOUS);

    final Role role;

    Who(Role role) {
      this.role = role;
    }
  }

  /** A page route, its form (for POST), and the operation of the table it performs. */
  record Page(String method, String path, Map<String, String> form, Operation op) {
    int success() {
      return "GET".equals(method) ? 200 : 303;
    }
  }

  static Page get(String path, Operation op) {
    return new Page("GET", path, Map.of(), op);
  }

  static Page post(String path, Operation op, String... kv) {
    Map<String, String> form = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      form.put(kv[i], kv[i + 1]);
    }
    return new Page("POST", path, form, op);
  }

  /** THE page route list. Paths and values use {inviteId}, {partnerId}, {requestId}, {bannerId}, {userId}, {accountId}, {email}. */
  static final List<Page> PAGES = List.of(
      get("/app", Operation.VIEW_ACCOUNT),
      get("/app/jobs", Operation.LIST_JOBS),
      post("/app/jobs", Operation.CREATE_JOBS, "title", "Matrix job", "quantity", "2"),
      get("/app/staff", Operation.LIST_STAFF),
      post("/app/staff", Operation.ADD_STAFF, "name", "Matrix hire", "email", "{email}", "role", "staff"),
      post("/app/staff/{pendingUserId}/confirm", Operation.CONFIRM_STAFF),
      get("/app/account/login-details", Operation.LIST_STAFF),
      post("/app/account/partner-access", Operation.SET_PARTNER_ACCESS, "allow", "{partnerId}"),
      post("/app/partners/{partnerId}/access", Operation.SET_PARTNER_ACCESS, "enabled", "true"),
      get("/app/partners/{partnerId}/disconnect", Operation.DISCONNECT_PARTNER),
      post("/app/partners/{partnerId}/disconnect", Operation.DISCONNECT_PARTNER, "reason", "matrix"),
      post("/app/requests/{requestId}/approve", Operation.DECIDE_ACCESS_REQUEST),
      post("/app/requests/{requestId}/deny", Operation.DECIDE_ACCESS_REQUEST),
      post("/app/banners/{bannerId}/dismiss", Operation.DISMISS_BANNER),
      get("/app/invites", Operation.LIST_PARTNER_INVITES),
      post("/app/invites/{inviteId}/accept", Operation.DECIDE_PARTNER_INVITE),
      post("/app/invites/{inviteId}/decline", Operation.DECIDE_PARTNER_INVITE),
      get("/app/activity", Operation.VIEW_ACTIVITY),
      // R30: {reviewId} is no review of the account: the owner's answer is refused in words (a redirect)
      get("/app/reviews", Operation.VIEW_ACCESS_REVIEWS),
      post("/app/reviews/{reviewId}/partners/{partnerId}/keep", Operation.DECIDE_ACCESS_REVIEW),
      post("/app/reviews/{reviewId}/partners/{partnerId}/disable", Operation.DECIDE_ACCESS_REVIEW),
      get("/app/activity/at", Operation.VIEW_ACCESS_HISTORY),
      get("/app/activity/export.csv", Operation.EXPORT_ACTIVITY),
      get("/app/subscription", Operation.VIEW_SUBSCRIPTION),
      post("/app/subscription", Operation.CHANGE_SUBSCRIPTION, "plan", "premium"),
      get("/app/cancel", Operation.CANCEL_ACCOUNT),
      post("/app/cancel", Operation.CANCEL_ACCOUNT, "confirm", "yes", "reason", "matrix"),
      get("/app/owner", Operation.CHANGE_OWNER),
      post("/app/owner", Operation.CHANGE_OWNER, "userId", "{userId}"),
      // the partner portal
      get("/partner/customers", Operation.LIST_CUSTOMERS),
      get("/partner/customers/new", Operation.LIST_CUSTOMERS),
      post("/partner/customers/new", Operation.ADD_CUSTOMER, "businessName", "Matrix Added"),
      post("/partner/customers/{accountId}/login", Operation.LOG_IN_TO_CUSTOMER),
      get("/partner/customers/{accountId}/request-access", Operation.REQUEST_ACCESS),
      post("/partner/customers/{accountId}/request-access", Operation.REQUEST_ACCESS, "reason", "matrix", "length", "7d"),
      post("/partner/customers/{accountId}/withdraw-request", Operation.WITHDRAW_ACCESS_REQUEST),
      get("/partner/customers/{accountId}/disconnect", Operation.DISCONNECT_CUSTOMER),
      post("/partner/customers/{accountId}/disconnect", Operation.DISCONNECT_CUSTOMER, "reason", "matrix"),
      get("/partner/customers/{createdId}/handover", Operation.HAND_OVER_CUSTOMER),
      post("/partner/customers/{createdId}/handover", Operation.HAND_OVER_CUSTOMER, "ownerName", "Matrix Owner",
          "ownerEmail", "{email}"),
      get("/partner/invites/new", Operation.LIST_CUSTOMERS),
      post("/partner/invites", Operation.CREATE_INVITE, "email", "{email}"),
      post("/partner/invites/{inviteId}/resend", Operation.RESEND_INVITE),
      post("/partner/invites/{inviteId}/withdraw", Operation.WITHDRAW_INVITE),
      get("/partner/badges", Operation.VIEW_PROFILE),
      get("/partner/commission", Operation.VIEW_COMMISSION),
      // R27: every signed-in user's own notification centre
      get("/notifications", Operation.VIEW_NOTIFICATIONS),
      post("/notifications/read-all", Operation.MARK_NOTIFICATIONS_READ),
      get("/notifications/preferences", Operation.VIEW_NOTIFICATIONS),
      post("/notifications/preferences", Operation.SET_NOTIFICATION_PREFERENCES, "email_access_requested", "on"),
      // R28: the Team page ({teammateId}: a member of the helper's team made for the world)
      get("/partner/team", Operation.LIST_TEAM),
      post("/partner/team/invites", Operation.INVITE_TEAMMATE, "name", "Matrix mate", "email", "{email}"),
      post("/partner/team/{teammateId}/role", Operation.SET_TEAMMATE_ROLE, "role", "admin"),
      post("/partner/team/{teammateId}/customers", Operation.ASSIGN_CUSTOMERS, "accountId", "{accountId}"),
      post("/partner/team/{teammateId}/customers/{accountId}/unassign", Operation.ASSIGN_CUSTOMERS),
      get("/partner/team/{teammateId}/remove", Operation.REMOVE_TEAMMATE),
      post("/partner/team/{teammateId}/remove", Operation.REMOVE_TEAMMATE),
      post("/settings/organisation", Operation.CHANGE_ORGANISATION, "organisation", "Matrix Org"),
      // the partner directory
      get("/app/partners/directory", Operation.FIND_PARTNERS),
      get("/app/partners/directory/{listedPartnerId}/contact", Operation.FIND_PARTNERS),
      post("/app/partners/directory/{listedPartnerId}/contact", Operation.CONTACT_PARTNER, "message", "Matrix lead"),
      get("/partner/listing", Operation.VIEW_LISTING),
      post("/partner/listing", Operation.EDIT_LISTING, "listed", "true", "region", "Matrix", "services", "tax",
          "description", "Listed by the page matrix"),
      get("/partner/leads", Operation.LIST_LEADS),
      post("/partner/leads/{leadId}/handled", Operation.HANDLE_LEAD),
      post("/partner/leads/{leadId}/invite", Operation.HANDLE_LEAD));

  static TestApp app;
  static ApiClient api;
  static RuleFixtures fx;
  static PartnerUser helper;
  static PartnerUser requester;
  /** R28: a member of the helper's team. */
  static PartnerUser member;
  /** A partner in the directory, which the customers of the matrix contact. */
  static PartnerUser listed;
  static World shared;
  /** Signed-in browsers in the shared account, one per kind of caller (refusals change nothing there). */
  static final Map<Who, Browserless> SHARED_SESSIONS = new java.util.concurrent.ConcurrentHashMap<>();

  /** One customer account with everything a page may act on. */
  static final class World {
    Customer owner;
    StaffUser admin;
    StaffUser staff;
    String inviteId;
    String requestId;
    String bannerId;
    /** R24: a user the helper partner added, awaiting the owner's confirmation. */
    String pendingUserId;
    /** R25: an account the helper partner created that waits for its owner's claim. */
    String createdId;
    /** R28: a member of the helper's team, for the Team page's forms to act on. */
    String teammateId;

    String fill(String s) {
      return s.replace("{inviteId}", inviteId).replace("{partnerId}", requester.partnerId())
          .replace("{requestId}", requestId).replace("{bannerId}", bannerId).replace("{userId}", admin.userId())
          .replace("{pendingUserId}", pendingUserId).replace("{createdId}", createdId).replace("{teammateId}", teammateId)
          .replace("{accountId}", owner.accountId()).replace("{email}", ApiClient.uniqueEmail("pages"))
          .replace("{listedPartnerId}", listed.partnerId()).replace("{leadId}", java.util.UUID.randomUUID().toString())
          .replace("{reviewId}", java.util.UUID.randomUUID().toString());
    }
  }

  static World newWorld(String name) {
    World w = new World();
    w.owner = api.signUpCustomer(name, null);
    w.admin = fx.staff(w.owner, "admin");
    w.staff = fx.staff(w.owner, "staff");
    api.connectByInvite(helper, w.owner);
    api.connectByInvite(requester, w.owner);
    expect(api.setAccess(w.owner, requester.partnerId(), false), 200);
    w.requestId = fx.requestAccessId(requester, w.owner.accountId());
    w.bannerId = fx.accountBanners(w.owner.token()).get(0).getString("id");
    // an invite from the helper to this account is what the account's invites page lists
    PartnerUser inviter = api.signUpPartner("Pages Inviter " + name);
    w.inviteId = fx.invite(inviter, w.owner.accountId());
    w.pendingUserId = fx.partnerAddedStaff(api.session(helper, w.owner.accountId())).userId();
    w.createdId = fx.addCustomer(helper, name + " Created", null, null).getString("accountId");
    expect(fx.assign(helper, member, w.owner.accountId()), 200);
    expect(fx.assign(helper, member, w.createdId), 200);
    w.teammateId = fx.teammate(helper, "Pages teammate", "member").userId();
    return w;
  }

  /** A browser signed in as {@code who} in {@code w} (a partner inside the account has pressed Log in). */
  static Browserless as(Who who, World w) {
    Browserless b = new Browserless(app.baseUrl());
    switch (who) {
      case OWNER -> b.signIn(w.owner.email(), RuleFixtures.PASSWORD);
      case ADMIN -> b.signIn(w.admin.email(), RuleFixtures.PASSWORD);
      case STAFF -> b.signIn(w.staff.email(), RuleFixtures.PASSWORD);
      case PARTNER_ADMIN -> b.signIn(helper.email(), RuleFixtures.PASSWORD);
      case PARTNER_MEMBER -> b.signIn(member.email(), RuleFixtures.PASSWORD);
      case PARTNER_IN_ACCOUNT -> {
        b.signIn(helper.email(), RuleFixtures.PASSWORD);
        b.get("/partner/customers");
        HttpResponse<String> in = b.post("/partner/customers/" + w.owner.accountId() + "/login", Map.of());
        assertThat(in.headers().firstValue("Location")).hasValue("/app");
      }
      case ANONYMOUS -> b.get("/signin");
    }
    return b;
  }

  @BeforeAll
  static void start() {
    app = TestApp.start(RuleFixtures.productConfig());
    api = app.api();
    fx = new RuleFixtures(app);
    helper = api.signUpPartner("Pages Helper");
    member = fx.teammate(helper, "Pages Member", "member");
    requester = api.signUpPartner("Pages Requester");
    listed = api.signUpPartner("Pages Listed");
    expect(api.put("/api/v1/partner/listing", listed.token(), new io.vertx.core.json.JsonObject().put("listed", true)
        .put("region", "Matrix").put("services", new io.vertx.core.json.JsonArray().add("tax"))
        .put("description", "Listed for the page matrix")), 200);
    shared = newWorld("Pages Shared");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static void check(Page page, Who who) {
    boolean allowed = page.op().allows(who.role);
    World w = allowed && "POST".equals(page.method()) ? newWorld("Pages " + who + " " + page.path()) : shared;
    Browserless b = w == shared ? SHARED_SESSIONS.computeIfAbsent(who, k -> as(k, shared)) : as(who, w);
    String path = w.fill(page.path());
    HttpResponse<String> r;
    if ("GET".equals(page.method())) {
      r = b.get(path);
    } else {
      b.get(page.path().startsWith("/partner") ? "/partner/customers" : "/app/staff");
      Map<String, String> form = new LinkedHashMap<>();
      page.form().forEach((k, v) -> form.put(k, w.fill(v)));
      r = b.post(path, form);
    }
    String what = page.method() + " " + path + " as " + who;
    if (who == Who.ANONYMOUS) {
      if ("GET".equals(page.method())) {
        assertThat(r.statusCode()).as(what).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).as(what).hasValueSatisfying(l -> assertThat(l).startsWith("/signin"));
      } else {
        assertThat(r.statusCode()).as(what).isIn(401, 403);
      }
      return;
    }
    if (allowed) {
      assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(page.success());
      return;
    }
    DomainException refusal = Permissions.refusal(who.role, page.op());
    assertThat(r.statusCode()).as(what).isEqualTo(refusal.problem().status);
    assertThat(r.body()).as(what).contains("(" + refusal.problem().name() + ")");
  }

  @TestFactory
  @DisplayName("R9 R10 R2 R23 Each page answers each caller as the permission table says")
  Stream<DynamicTest> pages() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Page page : PAGES) {
      for (Who who : Who.values()) {
        String expected = who == Who.ANONYMOUS ? "sign in" : page.op().allows(who.role) ? String.valueOf(page.success())
            : Permissions.refusal(who.role, page.op()).problem().name();
        tests.add(DynamicTest.dynamicTest(page.method() + " " + page.path() + " as " + who + " -> " + expected,
            () -> check(page, who)));
      }
    }
    return tests.stream();
  }

  @Test
  @DisplayName("Every operation of the table that a page offers is in the page list")
  void everyPageOperationIsListed() {
    Set<Operation> listed = EnumSet.noneOf(Operation.class);
    PAGES.forEach(p -> listed.add(p.op()));
    // reached on pages only inside other pages (the Customers page lists invites, the dashboard shows banners and
    // requests), or only through the API (the partner's banners)
    Set<Operation> apiOnly = EnumSet.of(Operation.LIST_PARTNER_BANNERS, Operation.DISMISS_PARTNER_BANNER,
        Operation.LIST_INVITES, Operation.LIST_ACCESS_REQUESTS, Operation.LIST_BANNERS);
    Set<Operation> all = EnumSet.allOf(Operation.class);
    all.removeAll(apiOnly);
    assertThat(listed).containsAll(all);
  }
}
