package com.partneraccess.rules;

import com.partneraccess.config.AppConfig;
import com.partneraccess.identity.Sha256;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.TestApp;
import com.partneraccess.support.TestSql;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.UUID;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Journeys and assertions the rule, race and security tests share, on top of {@link ApiClient}: staff users,
 * partner-created accounts, access requests, the activity history, banners, the operator API and the
 * "refused with this reason" assertion. Kept here (not in ApiClient) so parallel branches do not collide.
 */
public final class RuleFixtures {
  public static final String PASSWORD = "password-123";

  private final ApiClient api;
  private final String databaseUrl;
  private TestSql sql;

  public RuleFixtures(TestApp app) {
    this.api = app.api();
    this.databaseUrl = app.databaseUrl;
  }

  /** Direct SQL on the service's database, opened on first use. */
  private synchronized TestSql sql() {
    if (sql == null) {
      sql = new TestSql(databaseUrl);
    }
    return sql;
  }

  /**
   * The one-time link of a pending staff invitation or owner claim, as if read from the e-mail: the tests
   * without an SMTP server replace the stored hash with the hash of a token they know (the service keeps only
   * hashes, so there is nothing else to read). The mail tests read the real e-mails instead.
   */
  private String knownToken(String table, String idColumn, UUID id) {
    String token = "known-token-" + randomId();
    sql().query("UPDATE " + table + " SET token_hash = $1 WHERE " + idColumn + " = $2 AND status = 'pending'",
        Sha256.hex(token), id);
    return token;
  }

  /**
   * R24: a partner inside the account (its account-scoped {@code partnerSession}) invites a user, who accepts
   * the e-mailed link with {@link #PASSWORD}: staff awaiting the owner's confirmation.
   */
  public StaffUser partnerAddedStaff(String partnerSession) {
    String email = ApiClient.uniqueEmail("partner-added");
    Reply r = expect(api.post("/api/v1/account/staff", partnerSession, new JsonObject().put("name", "Added by partner")
        .put("email", email).put("role", "staff")), 201);
    String token = knownToken("staff_invites", "id", UUID.fromString(r.json().getString("inviteId")));
    Reply joined = expect(api.post("/api/v1/staff-invites/accept", null,
        new JsonObject().put("token", token).put("password", PASSWORD)), 201);
    return new StaffUser(joined.json().getString("userId"), email, "staff", joined.json().getString("token"));
  }

  /**
   * R28: an admin of {@code admin}'s organisation invites a teammate with {@code role}, who accepts the e-mailed link
   * with {@link #PASSWORD}; returns the teammate as a partner user (its own token).
   */
  public PartnerUser teammate(PartnerUser admin, String name, String role) {
    String email = ApiClient.uniqueEmail("teammate");
    Reply r = expect(api.post("/api/v1/partner/team/invites", admin.token(), new JsonObject().put("name", name)
        .put("email", email).put("role", role)), 201);
    String token = knownToken("partner_team_invites", "id", UUID.fromString(r.json().getString("inviteId")));
    Reply joined = expect(api.post("/api/v1/team-invites/accept", null,
        new JsonObject().put("token", token).put("password", PASSWORD)), 201);
    return new PartnerUser(admin.partnerId(), joined.json().getString("userId"), email, joined.json().getString("token"),
        admin.referralCode());
  }

  /** R28: the admin assigns the customer to the member. */
  public Reply assign(PartnerUser admin, PartnerUser member, String accountId) {
    return api.put("/api/v1/partner/team/" + member.userId() + "/customers/" + accountId, admin.token(), null);
  }

  /** R25: the named owner claims a partner-created account from its link, choosing {@code password}. */
  public Reply claim(String accountId, String password) {
    String token = knownToken("owner_claims", "account_id", UUID.fromString(accountId));
    return api.post("/api/v1/owner-claims/accept", null, new JsonObject().put("token", token).put("password", password));
  }

  /**
   * The documented plans, revenue share and credit tiers (the defaults in the jar; the test configuration has only
   * the defaults), as overrides for {@link TestApp#start(JsonObject)}.
   */
  public static JsonObject productConfig() {
    JsonObject conf = AppConfig.defaults();
    return new JsonObject().put("commission", conf.getJsonObject("commission")).put("credits", conf.getJsonObject("credits"));
  }

  /** A request with exactly the headers given (no Authorization unless given): for raw headers and bodies. */
  public Reply send(String method, String path, Map<String, String> headers, String body) {
    return api.send(method, path, headers, body);
  }

  public ApiClient api() {
    return api;
  }

  /** A partner connected to a fresh customer by an accepted invite (access enabled). */
  public record Connected(PartnerUser partner, Customer customer) {
    public String accountId() {
      return customer.accountId();
    }

    public String partnerId() {
      return partner.partnerId();
    }
  }

  /** A user of a customer account other than its owner. */
  public record StaffUser(String userId, String email, String role, String token) {}

  public Connected connected(String name) {
    PartnerUser partner = api.signUpPartner(name + " Partners");
    Customer customer = api.signUpCustomer(name + " Ltd", null);
    api.connectByInvite(partner, customer);
    return new Connected(partner, customer);
  }

  /** A customer signing up with a chosen email (e.g. one a partner invited earlier). */
  public Customer signUpWithEmail(String business, String email) {
    Reply r = api.post("/api/v1/signup", null, new JsonObject().put("businessName", business)
        .put("name", business + " owner").put("email", email).put("password", PASSWORD));
    expect(r, 201);
    return new Customer(r.json().getString("accountId"), r.json().getString("userId"), email, r.json().getString("token"));
  }

  /** R10: the owner adds a user with {@code role} (admin or staff), who then signs in. */
  public StaffUser staff(Customer customer, String role) {
    String email = ApiClient.uniqueEmail(role);
    Reply r = api.post("/api/v1/account/staff", customer.token(), new JsonObject().put("name", "A " + role)
        .put("email", email).put("password", PASSWORD).put("role", role));
    expect(r, 201);
    return new StaffUser(r.json().getString("userId"), email, role, api.token(email, PASSWORD));
  }

  /** R1: the partner invites an existing account; returns the invite id. */
  public String invite(PartnerUser partner, String accountId) {
    Reply r = api.post("/api/v1/partner/invites", partner.token(), new JsonObject().put("accountId", accountId));
    expect(r, 201);
    return r.json().getString("id");
  }

  public String inviteByEmail(PartnerUser partner, String email) {
    Reply r = api.post("/api/v1/partner/invites", partner.token(), new JsonObject().put("email", email));
    expect(r, 201);
    return r.json().getString("id");
  }

  public Reply accept(String token, String inviteId) {
    return api.post("/api/v1/account/partner-invites/" + inviteId + "/accept", token, null);
  }

  public Reply decline(String token, String inviteId) {
    return api.post("/api/v1/account/partner-invites/" + inviteId + "/decline", token, null);
  }

  /**
   * R3b/R25: Add a customer; with {@code ownerEmail} the partner names the owner (no password) and the owner
   * claims the account from the link with {@link #PASSWORD} (the reply then also has {@code ownerUserId}).
   */
  public JsonObject addCustomer(PartnerUser partner, String business, String plan, String ownerEmail) {
    JsonObject body = new JsonObject().put("businessName", business);
    if (plan != null) {
      body.put("plan", plan);
    }
    if (ownerEmail != null) {
      body.put("owner", new JsonObject().put("name", business + " owner").put("email", ownerEmail));
    }
    Reply r = api.post("/api/v1/partner/customers", partner.token(), body);
    expect(r, 201);
    JsonObject created = r.json();
    if (ownerEmail != null) {
      Reply claimed = expect(claim(created.getString("accountId"), PASSWORD), 201);
      created.put("ownerUserId", claimed.json().getString("userId"));
    }
    return created;
  }

  public Reply logIn(PartnerUser partner, String accountId) {
    return api.post("/api/v1/partner/customers/" + accountId + "/sessions", partner.token(), null);
  }

  /** R16/R29: the partner asks for access, with a reason, until the 60-day rule. */
  public Reply requestAccess(PartnerUser partner, String accountId) {
    return requestAccess(partner, accountId, "To help with the month's books", null);
  }

  /** R29: the partner asks for access with {@code reason} (null: none) and {@code length} (null: none named). */
  public Reply requestAccess(PartnerUser partner, String accountId, String reason, String length) {
    JsonObject body = new JsonObject();
    if (reason != null) {
      body.put("reason", reason);
    }
    if (length != null) {
      body.put("length", length);
    }
    return api.post("/api/v1/partner/customers/" + accountId + "/access-requests", partner.token(), body);
  }

  /** R16: the partner asks for access; returns the (new) pending request's id. */
  public String requestAccessId(PartnerUser partner, String accountId) {
    Reply r = requestAccess(partner, accountId);
    assertThat(r.status()).as("request access: %s", r).isIn(200, 201);
    return r.json().getString("requestId");
  }

  public Reply approve(String token, String requestId) {
    return api.post("/api/v1/account/access-requests/" + requestId + "/approve", token, null);
  }

  /** R29: approve for the owner's own length ({@code 1d}, {@code 7d}, {@code 30d} or {@code rule}). */
  public Reply approve(String token, String requestId, String length) {
    return api.post("/api/v1/account/access-requests/" + requestId + "/approve", token,
        new JsonObject().put("length", length));
  }

  public Reply deny(String token, String requestId) {
    return api.post("/api/v1/account/access-requests/" + requestId + "/deny", token, null);
  }

  public Reply disconnectByCustomer(Customer customer, String partnerId, String reason) {
    JsonObject body = reason == null ? null : new JsonObject().put("reason", reason);
    return api.post("/api/v1/account/partners/" + partnerId + "/disconnect", customer.token(), body);
  }

  public Reply disconnectByPartner(PartnerUser partner, String accountId) {
    return api.delete("/api/v1/partner/customers/" + accountId, partner.token());
  }

  /** R13: the operator switches the 60-day rule on for one account from {@code activeFrom} (null: global date). */
  public Reply switchRuleOn(String accountId, String activeFrom) {
    return send("PUT", "/api/v1/ops/accounts/" + accountId + "/expiry-rule",
        Map.of("Content-Type", "application/json", "X-Ops-Token", TestApp.OPS_TOKEN),
        new JsonObject().put("activeFrom", activeFrom).encode());
  }

  /** The service's clock now, as an ISO instant. */
  public String now() {
    return expect(api.get("/api/v1/test/clock", null), 200).json().getString("now");
  }

  public Reply advanceSeconds(double seconds) {
    return expect(api.post("/api/v1/test/clock", null, new JsonObject().put("seconds", seconds)), 200);
  }

  /** R23: the account's activity history as the owner reads it, newest first. */
  public List<JsonObject> activity(Customer customer) {
    Reply r = expect(api.get("/api/v1/account/activity?limit=500", customer.token()), 200);
    List<JsonObject> out = new ArrayList<>();
    r.array("activity").forEach(o -> out.add((JsonObject) o));
    return out;
  }

  public List<String> activityKinds(Customer customer) {
    return activity(customer).stream().map(a -> a.getString("kind")).toList();
  }

  public long activityCount(Customer customer, String kind) {
    return activityKinds(customer).stream().filter(kind::equals).count();
  }

  public List<JsonObject> accountBanners(String token) {
    Reply r = expect(api.get("/api/v1/account/banners", token), 200);
    List<JsonObject> out = new ArrayList<>();
    r.array("banners").forEach(o -> out.add((JsonObject) o));
    return out;
  }

  public List<JsonObject> partnerBanners(PartnerUser partner) {
    Reply r = expect(api.get("/api/v1/partner/banners", partner.token()), 200);
    List<JsonObject> out = new ArrayList<>();
    r.array("banners").forEach(o -> out.add((JsonObject) o));
    return out;
  }

  /** R4: the partners in the customer's staff list. */
  public List<JsonObject> partnersInStaffList(Customer customer) {
    Reply r = expect(api.get("/api/v1/account/staff", customer.token()), 200);
    List<JsonObject> out = new ArrayList<>();
    r.array("partners").forEach(o -> out.add((JsonObject) o));
    return out;
  }

  public JsonObject partnerInStaffList(Customer customer, String partnerId) {
    return partnersInStaffList(customer).stream().filter(p -> partnerId.equals(p.getString("partnerId")))
        .findFirst().orElse(null);
  }

  public List<JsonObject> accessRequests(Customer customer, String status) {
    Reply r = expect(api.get("/api/v1/account/access-requests" + (status == null ? "" : "?status=" + status),
        customer.token()), 200);
    List<JsonObject> out = new ArrayList<>();
    r.array("requests").forEach(o -> out.add((JsonObject) o));
    return out;
  }

  public JsonObject profile(PartnerUser partner) {
    return expect(api.get("/api/v1/partner/profile", partner.token()), 200).json();
  }

  public int jobCount(String token) {
    return expect(api.get("/api/v1/account", token), 200).json().getInteger("jobCount");
  }

  public static String randomId() {
    return UUID.randomUUID().toString();
  }

  /**
   * Asserts a refusal: the status, {@code application/problem+json}, and the machine-readable reason.
   */
  public static void assertRefused(Reply r, int status, String reason) {
    assertThat(r.status()).as("status of %s", r).isEqualTo(status);
    assertThat(r.header("Content-Type")).as("content type of %s", r).startsWith("application/problem+json");
    assertThat(r.reason()).as("reason of %s", r).isEqualTo(reason);
  }
}
