package com.partneraccess.rules;

import com.partneraccess.rules.RuleFixtures.Connected;
import com.partneraccess.rules.RuleFixtures.StaffUser;
import com.partneraccess.security.TestTokens;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.LiveClient;
import com.partneraccess.support.TestSql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static com.partneraccess.rules.RuleFixtures.assertRefused;
import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Notifications and login alerts (R27, R31)")
class NotificationRulesTest extends RuleTestBase {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static TestSql sql;

  @BeforeAll
  static void openSql() {
    sql = new TestSql(app.databaseUrl);
  }

  @AfterAll
  static void closeSql() {
    sql.close();
  }

  private static List<JsonObject> notifications(String token) {
    List<JsonObject> out = new ArrayList<>();
    expect(api.get("/api/v1/notifications?limit=100", token), 200).json().getJsonArray("notifications")
        .forEach(n -> out.add((JsonObject) n));
    return out;
  }

  private static List<String> kinds(String token) {
    return notifications(token).stream().map(n -> n.getString("kind")).toList();
  }

  private static int unread(String token) {
    return expect(api.get("/api/v1/notifications", token), 200).json().getInteger("unread");
  }

  /** R28 (partner teams): another user of the same partner organisation, with a token of its own. */
  /** A member of {@code partner}'s team, assigned (R28) to its live connection with {@code assignedTo} if not null. */
  private static String secondPartnerUser(PartnerUser partner, String assignedTo) {
    UUID id = UUID.randomUUID();
    sql.query("INSERT INTO users (id, email, password_hash, name, kind, partner_id, partner_role, created_at)"
            + " VALUES ($1, $2, 'not-a-hash', 'Second user', 'partner', $3, 'member', now())",
        id, ApiClient.uniqueEmail("teammate"), UUID.fromString(partner.partnerId()));
    if (assignedTo != null) {
      sql.query("INSERT INTO partner_assignments (user_id, connection_id, assigned_at) SELECT $1, c.id, now()"
              + " FROM connections c WHERE c.partner_id = $2 AND c.account_id = $3 AND c.disconnected_at IS NULL",
          id, UUID.fromString(partner.partnerId()), UUID.fromString(assignedTo));
    }
    return TestTokens.signed(TestTokens.partnerClaims(id.toString(), partner.partnerId(), null, "Second user"));
  }

  private static Connected disabled(String name) {
    Connected c = fx.connected(name);
    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    return c;
  }

  private static LiveClient live(String token) {
    return LiveClient.connect(app.vertx, app.port, "/ws", Map.of("Authorization", "Bearer " + token));
  }

  // ---- R27 ----------------------------------------------------------------------------------------

  @Test
  @DisplayName("R27 A request for access is an unread notification for the owner and each admin, with a link to it; staff get none")
  void requestTellsOwnerAndAdmins() {
    Connected c = disabled("R27 Ask");
    StaffUser admin = fx.staff(c.customer(), "admin");
    StaffUser staff = fx.staff(c.customer(), "staff");
    fx.requestAccessId(c.partner(), c.accountId());
    // the owner was told of the partner's invitation before; the admin joined after it
    assertThat(kinds(c.customer().token())).containsExactly("access_requested", "invite_received");
    assertThat(kinds(admin.token())).containsExactly("access_requested");
    assertThat(unread(c.customer().token())).isEqualTo(2);
    assertThat(unread(admin.token())).isEqualTo(1);
    for (String token : List.of(c.customer().token(), admin.token())) {
      JsonObject n = notifications(token).get(0);
      assertThat(n.getString("kind")).isEqualTo("access_requested");
      assertThat(n.getString("message")).isEqualTo("R27 Ask Partners has requested access to your account");
      assertThat(n.getString("link")).isEqualTo("/app#banners");
      assertThat(n.getBoolean("read")).isFalse();
    }
    assertThat(notifications(staff.token())).isEmpty();
    assertThat(kinds(c.partner().token())).doesNotContain("access_requested");
  }

  @Test
  @DisplayName("R27 R28 Approve and deny are notifications for the partner's admins and the members assigned to that "
      + "customer, not for its other members")
  void decisionsTellEveryPartnerUser() {
    Connected c = disabled("R27 Decide");
    String teammate = secondPartnerUser(c.partner(), c.accountId());
    String unassigned = secondPartnerUser(c.partner(), null);
    String first = fx.requestAccessId(c.partner(), c.accountId());
    expect(fx.deny(c.customer().token(), first), 200);
    String second = fx.requestAccessId(c.partner(), c.accountId());
    expect(fx.approve(c.customer().token(), second), 200);
    for (String token : List.of(c.partner().token(), teammate)) {
      List<JsonObject> list = notifications(token);
      assertThat(list.get(0).getString("kind")).isEqualTo("request_approved");
      assertThat(list.get(0).getString("message")).isEqualTo("R27 Decide Ltd approved your request for access");
      assertThat(list.get(1).getString("kind")).isEqualTo("request_denied");
      assertThat(list.get(1).getString("message")).isEqualTo("R27 Decide Ltd denied your request for access");
      assertThat(list.get(0).getString("link")).isEqualTo("/partner/customers");
    }
    assertThat(notifications(unassigned)).as("a member not assigned to the customer").isEmpty();
    // one notification per user, never one user's copy in another's list
    Set<String> ids = new HashSet<>();
    notifications(c.partner().token()).forEach(n -> ids.add(n.getString("id")));
    notifications(teammate).forEach(n -> assertThat(ids).doesNotContain(n.getString("id")));
  }

  @Test
  @DisplayName("R27 Invites, disable, enable and disconnects, either way, are notifications for those they concern")
  void accessChangesAndDisconnects() {
    PartnerUser partner = api.signUpPartner("R27 Changes Partners");
    Customer customer = api.signUpCustomer("R27 Changes Ltd", null);
    api.connectByInvite(partner, customer);
    expect(api.setAccess(customer, partner.partnerId(), false), 200);
    expect(api.setAccess(customer, partner.partnerId(), true), 200);
    expect(fx.disconnectByCustomer(customer, partner.partnerId(), null), 200);
    assertThat(kinds(partner.token()))
        .containsExactly("disconnected", "access_enabled", "access_disabled", "invite_accepted");
    assertThat(notifications(partner.token()).get(0).getString("message")).isEqualTo("R27 Changes Ltd disconnected you");

    api.connectByInvite(partner, customer);
    expect(fx.disconnectByPartner(partner, customer.accountId()), 200);
    assertThat(kinds(customer.token())).containsExactly("partner_disconnected", "invite_received", "invite_received");
    assertThat(notifications(customer.token()).get(0).getString("message"))
        .isEqualTo("R27 Changes Partners disconnected from your account");
    String declined = fx.invite(partner, customer.accountId());
    expect(fx.decline(customer.token(), declined), 200);
    assertThat(kinds(partner.token()).get(0)).isEqualTo("invite_declined");
  }

  @Test
  @DisplayName("R27 R24 A partner inviting staff into the account is a notification for the owner")
  void partnerAddedStaffTellsOwner() {
    Connected c = fx.connected("R27 Staff");
    StaffUser added = fx.partnerAddedStaff(api.session(c.partner(), c.accountId()));
    List<JsonObject> told = notifications(c.customer().token()).stream()
        .filter(n -> "staff_changed_by_partner".equals(n.getString("kind"))).toList();
    assertThat(told).isNotEmpty().allSatisfy(n -> assertThat(n.getString("link")).isEqualTo("/app/staff"));
    // the same sentences as the owner's banners
    assertThat(told.stream().map(n -> n.getString("message")).toList()).containsExactlyInAnyOrderElementsOf(
        fx.accountBanners(c.customer().token()).stream().filter(b -> "staff_changed_by_partner".equals(b.getString("kind")))
            .map(b -> b.getString("message")).toList());
    assertThat(added.role()).isEqualTo("staff");
  }

  @Test
  @DisplayName("R27 Expiry warnings at 14, 7 and 1 days and the expiry itself are notifications for the partner")
  void warningsAndExpiry() {
    Connected c = fx.connected("R27 Expiry");
    expect(api.createJobs(c.customer().token(), 100), 201); // R12: the 60 days start now
    List<String> told = new ArrayList<>();
    for (double[] step : new double[][] {{46.5, 14}, {7, 7}, {6, 1}, {2, 0}}) {
      expect(api.post("/api/v1/test/clock", null, new JsonObject().put("days", step[0]).put("sweep", true)), 200);
      JsonObject latest = notifications(c.partner().token()).get(0);
      told.add(latest.getString("message"));
    }
    assertThat(told).containsExactly(
        "Your access to R27 Expiry Ltd expires in 14 days: log in to keep it",
        "Your access to R27 Expiry Ltd expires in 7 days: log in to keep it",
        "Your access to R27 Expiry Ltd expires in 1 day: log in to keep it",
        "Your access to R27 Expiry Ltd expired");
    assertThat(kinds(c.partner().token())).containsSubsequence("access_expired", "expiry_warning", "expiry_warning",
        "expiry_warning");
  }

  @Test
  @DisplayName("R27 A change that rolls back leaves no notification, no e-mail and nothing live")
  void rolledBackChangeTellsNoOne() {
    Connected c = fx.connected("R27 Rollback");
    Connected other = fx.connected("R27 Committed");
    // the change's transaction fails at commit, after the notification was written in it
    sql.query("CREATE OR REPLACE FUNCTION r27_refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$"
        + " BEGIN RAISE EXCEPTION 'r27: this commit is refused'; END $$");
    sql.query("CREATE CONSTRAINT TRIGGER r27_refuse_commit AFTER INSERT ON notifications DEFERRABLE INITIALLY DEFERRED"
        + " FOR EACH ROW WHEN (NEW.account_id = '" + UUID.fromString(c.accountId()) + "')"
        + " EXECUTE FUNCTION r27_refuse_commit()");
    try (LiveClient socket = live(c.partner().token())) {
      Reply refused = api.setAccess(c.customer(), c.partnerId(), false);
      assertThat(refused.status()).isGreaterThanOrEqualTo(500);
      assertThat(api.customerOf(c.partner(), c.accountId()).getString("access")).isEqualTo("enabled");
      assertThat(kinds(c.partner().token())).doesNotContain("access_disabled");
      assertThat(sql.count("SELECT count(*) FROM notifications WHERE account_id = $1 AND kind = 'access_disabled'",
          UUID.fromString(c.accountId()))).isZero();
      assertThat(sql.count("SELECT count(*) FROM mail_outbox m JOIN users u ON u.id = m.user_id WHERE u.partner_id = $1"
          + " AND m.model->>'message' LIKE '%disabled%'", UUID.fromString(c.partnerId()))).isZero();
      // a committed change for another socket of the same kind arrives; the rolled-back one never did
      try (LiveClient otherSocket = live(other.partner().token())) {
        expect(api.setAccess(other.customer(), other.partnerId(), false), 200);
        assertThat(otherSocket.next("notification", WAIT).getJsonObject("notification").getString("message"))
            .isEqualTo("R27 Committed Ltd disabled your access");
      }
      assertThat(socket.next("notification", Duration.ofMillis(200))).isNull();
    } finally {
      sql.query("DROP TRIGGER r27_refuse_commit ON notifications");
    }
  }

  @Test
  @DisplayName("R27 A notification is delivered live to its recipient's open socket, and only to them")
  void deliveredLive() {
    Connected c = disabled("R27 Live");
    StaffUser admin = fx.staff(c.customer(), "admin");
    try (LiveClient owner = live(c.customer().token()); LiveClient adminSocket = live(admin.token());
         LiveClient partner = live(c.partner().token())) {
      fx.requestAccessId(c.partner(), c.accountId());
      JsonObject toOwner = owner.next("notification", WAIT);
      JsonObject toAdmin = adminSocket.next("notification", WAIT);
      assertThat(toOwner.getJsonObject("notification").getString("message"))
          .isEqualTo("R27 Live Partners has requested access to your account");
      assertThat(toOwner.getJsonObject("notification").getString("id"))
          .isEqualTo(notifications(c.customer().token()).get(0).getString("id"));
      assertThat(toAdmin.getJsonObject("notification").getString("id"))
          .isEqualTo(notifications(admin.token()).get(0).getString("id"));
      // each socket got its own user's copy and nothing else
      assertThat(owner.next("notification", Duration.ofMillis(200))).isNull();
      assertThat(adminSocket.next("notification", Duration.ofMillis(10))).isNull();
      String requestId = fx.accessRequests(c.customer(), "pending").get(0).getString("id");
      expect(fx.deny(c.customer().token(), requestId), 200);
      assertThat(partner.next("notification", WAIT).getJsonObject("notification").getString("kind"))
          .isEqualTo("request_denied");
    }
  }

  @Test
  @DisplayName("R27 The centre lists newest first in pages (at most 100), and marks one or all read")
  void pagingAndReading() {
    Connected c = fx.connected("R27 Paging");
    for (int i = 0; i < 4; i++) {
      expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
      expect(api.setAccess(c.customer(), c.partnerId(), true), 200);
    }
    String token = c.partner().token();
    List<JsonObject> all = notifications(token);
    assertThat(all).hasSize(9);
    List<String> paged = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = expect(api.get("/api/v1/notifications?limit=4" + (cursor == null ? "" : "&cursor=" + cursor),
          token), 200).json();
      page.getJsonArray("notifications").forEach(n -> paged.add(((JsonObject) n).getString("id")));
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(paged).containsExactlyElementsOf(all.stream().map(n -> n.getString("id")).toList());
    List<Instant> times = all.stream().map(n -> Instant.parse(n.getString("createdAt"))).toList();
    assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertRefused(api.get("/api/v1/notifications?limit=101", token), 400, "VALIDATION_FAILED");
    assertRefused(api.get("/api/v1/notifications?cursor=not-a-cursor", token), 400, "VALIDATION_FAILED");

    assertThat(unread(token)).isEqualTo(9);
    String id = all.get(0).getString("id");
    assertThat(expect(api.post("/api/v1/notifications/" + id + "/read", token, null), 200).json()
        .getBoolean("changed")).isTrue();
    assertThat(expect(api.post("/api/v1/notifications/" + id + "/read", token, null), 200).json()
        .getBoolean("changed")).isFalse();
    assertThat(unread(token)).isEqualTo(8);
    assertThat(notifications(token).get(0).getBoolean("read")).isTrue();
    // someone else's notification is not found for this caller, and stays unread
    assertRefused(api.post("/api/v1/notifications/" + id + "/read", c.customer().token(), null), 404, "NOT_FOUND");
    assertThat(expect(api.post("/api/v1/notifications/read-all", token, null), 200).json().getInteger("marked"))
        .isEqualTo(8);
    assertThat(unread(token)).isZero();
  }

  @Test
  @DisplayName("R27 Preferences: each user sees the kinds they can receive; other kinds and opting out of being told are refused")
  void preferences() {
    Connected c = fx.connected("R27 Prefs");
    StaffUser staff = fx.staff(c.customer(), "staff");
    JsonArray partnerPrefs = expect(api.get("/api/v1/notifications/preferences", c.partner().token()), 200).json()
        .getJsonArray("preferences");
    assertThat(partnerPrefs.stream().map(p -> ((JsonObject) p).getString("kind")).toList())
        .contains("request_denied", "expiry_warning", "access_expired").doesNotContain("access_requested");
    JsonObject denied = partnerPrefs.stream().map(p -> (JsonObject) p)
        .filter(p -> "request_denied".equals(p.getString("kind"))).findFirst().orElseThrow();
    assertThat(denied.getBoolean("email")).isTrue();
    assertThat(denied.getBoolean("told")).isTrue();
    JsonObject off = expect(api.put("/api/v1/notifications/preferences", c.partner().token(), prefs("request_denied", false, null)),
        200).json();
    assertThat(off.getJsonArray("preferences").stream().map(p -> (JsonObject) p)
        .filter(p -> "request_denied".equals(p.getString("kind"))).findFirst().orElseThrow().getBoolean("email")).isFalse();
    assertRefused(api.put("/api/v1/notifications/preferences", c.partner().token(), prefs("access_requested", true, null)),
        400, "VALIDATION_FAILED");
    assertRefused(api.put("/api/v1/notifications/preferences", c.partner().token(), prefs("request_denied", true, false)),
        400, "VALIDATION_FAILED");
    assertThat(expect(api.get("/api/v1/notifications/preferences", staff.token()), 200).json()
        .getJsonArray("preferences")).isEmpty();
  }

  /** The next live notification of {@code kind}, skipping notifications of other kinds; fails after {@code WAIT}. */
  private static JsonObject nextNotification(LiveClient socket, String kind) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject m = socket.next("notification", Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (m != null && kind.equals(m.getJsonObject("notification").getString("kind"))) {
        return m.getJsonObject("notification");
      }
    }
    throw new AssertionError("no live " + kind + " notification within " + WAIT);
  }

  private static JsonObject prefs(String kind, Boolean email, Boolean told) {
    JsonObject p = new JsonObject().put("kind", kind);
    if (email != null) {
      p.put("email", email);
    }
    if (told != null) {
      p.put("told", told);
    }
    return new JsonObject().put("preferences", new JsonArray().add(p));
  }

  // ---- R31 ----------------------------------------------------------------------------------------

  @Test
  @DisplayName("R31 A partner logging in tells the owner live: who, of which partner, and when; admins only if they opt in")
  void loginAlerts() {
    Connected c = fx.connected("R31 Login");
    StaffUser optedIn = fx.staff(c.customer(), "admin");
    StaffUser notOptedIn = fx.staff(c.customer(), "admin");
    expect(api.put("/api/v1/notifications/preferences", optedIn.token(), prefs("partner_logged_in", null, true)), 200);
    try (LiveClient owner = live(c.customer().token()); LiveClient admin = live(optedIn.token());
         LiveClient quiet = live(notOptedIn.token())) {
      expect(fx.logIn(c.partner(), c.accountId()), 201);
      // the customer's invite notification (from setting up the connection) may still be on its way to the socket:
      // live delivery follows the commit's NOTIFY, which can arrive after the socket opened; skip other kinds
      JsonObject n = nextNotification(owner, "partner_logged_in");
      String at = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC).format(Instant.parse(n.getString("createdAt")));
      assertThat(n.getString("message")).isEqualTo("R31 Login Partners user of R31 Login Partners logged in at " + at + " UTC");
      assertThat(admin.next("notification", WAIT).getJsonObject("notification").getString("message"))
          .isEqualTo(n.getString("message"));
      assertThat(quiet.next("notification", Duration.ofMillis(300))).isNull();
    }
    assertThat(kinds(notOptedIn.token())).isEmpty();
    assertThat(kinds(c.customer().token())).containsExactly("partner_logged_in", "invite_received");
  }

  @Test
  @DisplayName("R31 The owner cannot opt out of login alerts; admins can opt out again")
  void ownerAlwaysTold() {
    Connected c = fx.connected("R31 Owner");
    StaffUser admin = fx.staff(c.customer(), "admin");
    assertRefused(api.put("/api/v1/notifications/preferences", c.customer().token(),
        prefs("partner_logged_in", null, false)), 400, "VALIDATION_FAILED");
    expect(api.put("/api/v1/notifications/preferences", admin.token(), prefs("partner_logged_in", null, true)), 200);
    expect(api.put("/api/v1/notifications/preferences", admin.token(), prefs("partner_logged_in", null, false)), 200);
    expect(fx.logIn(c.partner(), c.accountId()), 201);
    assertThat(kinds(c.customer().token())).contains("partner_logged_in");
    assertThat(kinds(admin.token())).doesNotContain("partner_logged_in");
  }
}
