package com.partneraccess.rules;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.LiveClient;
import com.partneraccess.support.PageClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static com.partneraccess.rules.RuleFixtures.assertRefused;
import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * R28: a partner organisation has several users. Admins invite teammates, set their role, assign customers to
 * members (who see and log in to only theirs) and remove teammates (whose sessions end at once); the activity
 * history names the person and the organisation.
 */
@DisplayName("R28 Partner teams: admins and members, assignments, removal")
class PartnerTeamsTest extends RuleTestBase {

  /** An organisation with an admin, a member and two connected customers, the first assigned to the member. */
  record Team(PartnerUser admin, PartnerUser member, Customer assigned, Customer other) {}

  private static Team team(String name) {
    PartnerUser admin = api.signUpPartner(name);
    PartnerUser member = fx.teammate(admin, "Sam Lee", "member");
    Customer assigned = api.signUpCustomer(name + " Assigned Co", null);
    Customer other = api.signUpCustomer(name + " Other Co", null);
    api.connectByInvite(admin, assigned);
    api.connectByInvite(admin, other);
    expect(fx.assign(admin, member, assigned.accountId()), 200);
    return new Team(admin, member, assigned, other);
  }

  private static List<String> customerIds(String token) {
    List<String> ids = new ArrayList<>();
    expect(api.get("/api/v1/partner/customers", token), 200).array("customers")
        .forEach(c -> ids.add(((JsonObject) c).getString("accountId")));
    return ids;
  }

  @Test
  @DisplayName("R28 A member sees only the customers assigned to it, in the API list and on the Customers page; an admin sees all")
  void memberSeesOnlyAssigned() {
    Team t = team("Scoped Advisors");
    assertThat(customerIds(t.member().token())).containsExactly(t.assigned().accountId());
    assertThat(customerIds(t.admin().token())).containsExactlyInAnyOrder(t.assigned().accountId(), t.other().accountId());

    PageClient page = new PageClient(app.baseUrl());
    page.signIn(t.member().email(), RuleFixtures.PASSWORD);
    HttpResponse<String> customers = page.get("/partner/customers");
    assertThat(customers.statusCode()).isEqualTo(200);
    assertThat(customers.body()).contains("Scoped Advisors Assigned Co").doesNotContain("Scoped Advisors Other Co");
    // the header names the person and the organisation
    assertThat(customers.body()).contains("Sam Lee").contains("Scoped Advisors");
  }

  @Test
  @DisplayName("R28 A member cannot log in to, request access to or disconnect a customer not assigned to it: 403 NOT_ASSIGNED with a reason")
  void memberCannotLogInToUnassigned() {
    Team t = team("Refused Advisors");
    Reply r = fx.logIn(t.member(), t.other().accountId());
    assertRefused(r, 403, "NOT_ASSIGNED");
    assertThat(r.json().getString("detail")).contains("Refused Advisors Other Co").contains("not assigned to you");
    expect(fx.logIn(t.member(), t.assigned().accountId()), 201);
    expect(fx.logIn(t.admin(), t.other().accountId()), 201);
    // nor ask for access to it or disconnect the organisation from it
    assertRefused(fx.requestAccess(t.member(), t.other().accountId()), 403, "NOT_ASSIGNED");
    assertRefused(fx.disconnectByPartner(t.member(), t.other().accountId()), 403, "NOT_ASSIGNED");
    assertThat(customerIds(t.admin().token())).contains(t.other().accountId());
    // the page's Log in says the same in words
    PageClient page = new PageClient(app.baseUrl());
    page.signIn(t.member().email(), RuleFixtures.PASSWORD);
    page.get("/partner/customers");
    HttpResponse<String> in = page.post("/partner/customers/" + t.other().accountId() + "/login", Map.of());
    assertThat(in.headers().firstValue("Location")).hasValue("/partner/customers");
    assertThat(page.get("/partner/customers").body()).contains("not assigned to you");
  }

  @Test
  @DisplayName("R28 Unassigning a customer takes the member's access away at once: its next request inside is refused")
  void unassignTakesAccessAway() {
    Team t = team("Unassigned Advisors");
    String session = api.session(t.member(), t.assigned().accountId());
    expect(api.get("/api/v1/account", session), 200);
    Reply un = expect(api.delete("/api/v1/partner/team/" + t.member().userId() + "/customers/"
        + t.assigned().accountId(), t.admin().token()), 200);
    assertThat(un.json().getString("message")).contains("no longer assigned to Sam Lee");
    assertRefused(api.get("/api/v1/account", session), 403, "NOT_ASSIGNED");
    assertThat(customerIds(t.member().token())).isEmpty();
    // assigning again gives it back
    expect(fx.assign(t.admin(), t.member(), t.assigned().accountId()), 200);
    expect(api.get("/api/v1/account", session), 200);
  }

  @Test
  @DisplayName("R28 A removed teammate's tokens are refused within a second and its live socket closes")
  void removedTeammateIsSignedOut() {
    Team t = team("Removing Advisors");
    String portal = t.member().token();
    String inside = api.session(t.member(), t.assigned().accountId());
    try (LiveClient live = LiveClient.connect(app.vertx, app.port, "/ws", Map.of("Authorization", "Bearer " + inside))) {
      live.next("hello", Duration.ofSeconds(5));
      long started = System.nanoTime();
      Reply removed = expect(api.delete("/api/v1/partner/team/" + t.member().userId(), t.admin().token()), 200);
      assertThat(removed.json().getString("message")).contains("Sam Lee was removed from Removing Advisors");
      await().atMost(1, TimeUnit.SECONDS).until(() -> api.get("/api/v1/partner/customers", portal).status() == 401);
      assertThat(api.get("/api/v1/account", inside).status()).isEqualTo(401);
      assertThat(live.closeCode(Duration.ofSeconds(1))).as("the removed teammate's socket closes").isEqualTo((short) 4401);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }
    // cannot sign in again; the address may be invited again (a new user)
    assertThat(api.post("/api/v1/auth/token", null, new JsonObject().put("email", t.member().email())
        .put("password", RuleFixtures.PASSWORD)).status()).isEqualTo(401);
    expect(api.post("/api/v1/partner/team/invites", t.admin().token(), new JsonObject().put("name", "Sam Lee")
        .put("email", t.member().email())), 201);
    // the admin's own session is untouched
    expect(api.get("/api/v1/partner/customers", t.admin().token()), 200);
  }

  @Test
  @DisplayName("R28 The last admin can be neither removed nor demoted; two admins demoting each other at once leave one admin")
  void lastAdminStays() throws Exception {
    PartnerUser admin = api.signUpPartner("Lonely Advisors");
    assertRefused(api.put("/api/v1/partner/team/" + admin.userId() + "/role", admin.token(),
        new JsonObject().put("role", "member")), 409, "LAST_ADMIN");
    assertRefused(api.delete("/api/v1/partner/team/" + admin.userId(), admin.token()), 409, "LAST_ADMIN");

    PartnerUser second = fx.teammate(admin, "Second Admin", "admin");
    CyclicBarrier go = new CyclicBarrier(2);
    CompletableFuture<Reply> a = CompletableFuture.supplyAsync(() -> {
      awaitBarrier(go);
      return api.put("/api/v1/partner/team/" + second.userId() + "/role", admin.token(), new JsonObject().put("role", "member"));
    });
    CompletableFuture<Reply> b = CompletableFuture.supplyAsync(() -> {
      awaitBarrier(go);
      return api.put("/api/v1/partner/team/" + admin.userId() + "/role", second.token(), new JsonObject().put("role", "member"));
    });
    List<Integer> statuses = List.of(a.get(10, TimeUnit.SECONDS).status(), b.get(10, TimeUnit.SECONDS).status());
    assertThat(statuses).as("one demotion wins; the other caller is no longer an admin when its turn comes")
        .containsExactlyInAnyOrder(200, 403);
    JsonObject team = expect(api.get("/api/v1/partner/team", admin.token()), 200).json();
    long admins = team.getJsonArray("teammates").stream().filter(m -> "admin".equals(((JsonObject) m).getString("role")))
        .count();
    assertThat(admins).isEqualTo(1);
  }

  private static void awaitBarrier(CyclicBarrier b) {
    try {
      b.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("R28 Only admins manage the team; a member is refused with PARTNER_ADMIN_ONLY, and a demoted admin at once")
  void onlyAdminsManage() {
    Team t = team("Managed Advisors");
    assertRefused(api.post("/api/v1/partner/team/invites", t.member().token(), new JsonObject().put("name", "X")
        .put("email", ApiClient.uniqueEmail("x"))), 403, "PARTNER_ADMIN_ONLY");
    assertRefused(fx.assign(t.member(), t.member(), t.other().accountId()), 403, "PARTNER_ADMIN_ONLY");
    // the member reads the team, without the pending invitations
    JsonObject seen = expect(api.get("/api/v1/partner/team", t.member().token()), 200).json();
    assertThat(seen.getBoolean("canManage")).isFalse();
    assertThat(seen.getJsonArray("teammates")).hasSize(2);
    // promoted: may manage at once, with the token it already has; demoted: refused at once
    expect(api.put("/api/v1/partner/team/" + t.member().userId() + "/role", t.admin().token(),
        new JsonObject().put("role", "admin")), 200);
    assertThat(customerIds(t.member().token())).hasSize(2);
    expect(api.put("/api/v1/partner/team/" + t.admin().userId() + "/role", t.member().token(),
        new JsonObject().put("role", "member")), 200);
    assertRefused(api.post("/api/v1/partner/team/invites", t.admin().token(), new JsonObject().put("name", "X")
        .put("email", ApiClient.uniqueEmail("x"))), 403, "PARTNER_ADMIN_ONLY");
    assertThat(customerIds(t.admin().token())).as("the demoted admin now sees only its assigned customers").isEmpty();
  }

  @Test
  @DisplayName("R28 The activity history names the person and the organisation where a partner's user acted")
  void activityNamesPersonAndOrganisation() {
    Team t = team("Northwind Advisors");
    expect(fx.logIn(t.member(), t.assigned().accountId()), 201);
    List<JsonObject> activity = fx.activity(t.assigned());
    JsonObject login = activity.stream().filter(a -> "partner.login".equals(a.getString("kind"))).findFirst().orElseThrow();
    assertThat(login.getString("actor")).isEqualTo("Sam Lee of Northwind Advisors");
    // the owner's own actions name the owner alone
    expect(api.setAccess(t.assigned(), t.admin().partnerId(), false), 200);
    JsonObject disabled = fx.activity(t.assigned()).stream().filter(a -> "access.disabled".equals(a.getString("kind")))
        .findFirst().orElseThrow();
    assertThat(disabled.getString("actor")).isEqualTo("Northwind Advisors Assigned Co owner");
    PageClient page = new PageClient(app.baseUrl());
    page.signIn(t.assigned().email(), RuleFixtures.PASSWORD);
    assertThat(page.get("/app/activity").body()).contains("Sam Lee of Northwind Advisors");
  }
}
