package com.partneraccess.banner;

import com.partneraccess.rules.RuleFixtures;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.LiveClient;
import com.partneraccess.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * R28 on the live connection: a partner's events about a customer (its banners, {@code access_changed}) reach the
 * admins' sockets and only the sockets of the members assigned to that customer. "Never" without timing: the event
 * about the customer a user may not see is committed first, the one it may see second; the events of one address
 * arrive in order, so when the second has arrived the first would have too.
 */
@DisplayName("R28 Live events: members receive the partner's events only about the customers assigned to them")
class LiveScopeTest {
  static TestApp app;
  static ApiClient api;
  static RuleFixtures fx;
  static Vertx client;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    api = app.api();
    fx = new RuleFixtures(app);
    client = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    client.close().await();
    app.close();
  }

  static LiveClient socket(String token) {
    return LiveClient.connect(client, app.port, "/ws", Map.of("Authorization", "Bearer " + token));
  }

  /** Every message up to and including the first that {@code last} matches; fails if none comes within 5 s each. */
  static List<JsonObject> until(LiveClient socket, String what, Predicate<JsonObject> last) {
    List<JsonObject> seen = new ArrayList<>();
    while (true) {
      JsonObject m = socket.next(Duration.ofSeconds(5));
      assertThat(m).as("%s within 5 s (after %s)", what, seen).isNotNull();
      seen.add(m);
      if (last.test(m)) {
        return seen;
      }
    }
  }

  static Predicate<JsonObject> banner(String kind, Customer about) {
    return m -> "banner".equals(m.getString("type")) && kind.equals(m.getJsonObject("banner").getString("kind"))
        && about.accountId().equals(m.getJsonObject("banner").getString("accountId"));
  }

  static List<JsonObject> banners(List<JsonObject> messages) {
    return messages.stream().filter(m -> "banner".equals(m.getString("type"))).toList();
  }

  @Test
  @DisplayName("R28 A member's socket gets the live events and notifications about its assigned customer and never those "
      + "about another; the admin's gets both; once the other customer is assigned, its next event reaches the member")
  void memberHearsOnlyAssignedCustomers() {
    // R28
    PartnerUser admin = api.signUpPartner("Live Scope Advisors");
    PartnerUser member = fx.teammate(admin, "Mia Member", "member");
    Customer assigned = api.signUpCustomer("Live Scope Assigned Co", null);
    Customer other = api.signUpCustomer("Live Scope Other Co", null);
    api.connectByInvite(admin, assigned);
    api.connectByInvite(admin, other);
    expect(fx.assign(admin, member, assigned.accountId()), 200);

    try (LiveClient adminSocket = socket(admin.token()); LiveClient memberSocket = socket(member.token())) {
      // the unassigned customer's event first, then the assigned one's
      expect(api.setAccess(other, admin.partnerId(), false), 200);
      expect(api.setAccess(assigned, admin.partnerId(), false), 200);

      List<JsonObject> memberGot = until(memberSocket, "the banner about the assigned customer",
          banner("access_disabled", assigned));
      for (JsonObject m : memberGot) {
        assertThat(m.encode()).as("a message to the member").doesNotContain(other.accountId())
            .doesNotContain("Live Scope Other Co");
      }
      assertThat(banners(memberGot).get(0).getJsonObject("banner").getString("accountId"))
          .as("the member's first banner is about its assigned customer").isEqualTo(assigned.accountId());

      List<JsonObject> adminGot = until(adminSocket, "both banners", banner("access_disabled", assigned));
      assertThat(adminGot).as("the admin's socket also got the unassigned customer's banner, first")
          .anyMatch(banner("access_disabled", other));
      assertThat(adminGot).anyMatch(m -> "access_changed".equals(m.getString("type"))
          && other.accountId().equals(m.getString("accountId")));

      // the stored notifications (and their e-mails) of the same changes: the member's only about its customer
      String memberNotes = expect(api.get("/api/v1/notifications", member.token()), 200).json().encode();
      assertThat(memberNotes).contains("Live Scope Assigned Co").doesNotContain("Live Scope Other Co");
      assertThat(expect(api.get("/api/v1/notifications", admin.token()), 200).json().encode())
          .contains("Live Scope Assigned Co").contains("Live Scope Other Co");

      // an assignment takes effect for the next event
      expect(fx.assign(admin, member, other.accountId()), 200);
      expect(api.setAccess(other, admin.partnerId(), true), 200);
      until(memberSocket, "the banner about the newly assigned customer", banner("access_enabled", other));
      until(adminSocket, "the same banner", banner("access_enabled", other));
    }
  }

  @Test
  @DisplayName("R28 The stored banners: a member lists and dismisses only those about its assigned customers; the admin"
      + " lists them all")
  void storedBannersFollowTheAssignment() {
    // R28
    PartnerUser admin = api.signUpPartner("Stored Scope Advisors");
    PartnerUser member = fx.teammate(admin, "Sol Member", "member");
    Customer assigned = api.signUpCustomer("Stored Scope Assigned Co", null);
    Customer other = api.signUpCustomer("Stored Scope Other Co", null);
    api.connectByInvite(admin, assigned);
    api.connectByInvite(admin, other);
    expect(fx.assign(admin, member, assigned.accountId()), 200);
    expect(api.setAccess(other, admin.partnerId(), false), 200);
    expect(api.setAccess(assigned, admin.partnerId(), false), 200);

    String memberList = expect(api.get("/api/v1/partner/banners", member.token()), 200).json().encode();
    assertThat(memberList).contains(assigned.accountId()).doesNotContain(other.accountId())
        .doesNotContain("Stored Scope Other Co");
    io.vertx.core.json.JsonArray all = expect(api.get("/api/v1/partner/banners", admin.token()), 200).array("banners");
    assertThat(all.encode()).contains(assigned.accountId()).contains(other.accountId());
    String otherBanner = all.stream().map(JsonObject.class::cast)
        .filter(b -> other.accountId().equals(b.getString("accountId"))).findFirst().orElseThrow().getString("id");
    // a member cannot dismiss (and so learn of) a banner about a customer it is not assigned
    assertThat(api.post("/api/v1/partner/banners/" + otherBanner + "/dismiss", member.token(), null).status())
        .isEqualTo(404);
    assertThat(expect(api.get("/api/v1/partner/banners", admin.token()), 200).json().encode())
        .as("still there for the admin").contains(otherBanner);
  }

  @Test
  @DisplayName("R28 A demoted admin's open socket, whose token still says admin, stops receiving the events about "
      + "customers not assigned to it from the next event")
  void demotionTakesEffectForTheNextEvent() {
    // R28
    PartnerUser admin = api.signUpPartner("Demoted Live Advisors");
    PartnerUser second = fx.teammate(admin, "Dee Second", "admin");
    Customer assigned = api.signUpCustomer("Demoted Live Assigned Co", null);
    Customer other = api.signUpCustomer("Demoted Live Other Co", null);
    api.connectByInvite(admin, assigned);
    api.connectByInvite(admin, other);

    try (LiveClient secondSocket = socket(second.token())) {
      // still an admin: it hears about every customer
      expect(api.setAccess(other, admin.partnerId(), false), 200);
      until(secondSocket, "the banner an admin receives", banner("access_disabled", other));

      expect(api.put("/api/v1/partner/team/" + second.userId() + "/role", admin.token(),
          new JsonObject().put("role", "member")), 200);
      expect(fx.assign(admin, second, assigned.accountId()), 200);
      expect(api.setAccess(other, admin.partnerId(), true), 200);
      expect(api.setAccess(assigned, admin.partnerId(), false), 200);

      List<JsonObject> got = banners(until(secondSocket, "the banner about its assigned customer",
          banner("access_disabled", assigned)));
      assertThat(got).as("banners after the demotion").hasSize(1);
    }
  }
}
