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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static com.partneraccess.rules.RuleFixtures.assertRefused;
import static com.partneraccess.rules.RuleFixtures.randomId;
import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed, mistyped, oversized, unknown and unauthenticated input: always the right 4xx (never a 500), always
 * {@code application/problem+json} with a {@code reason}, and nothing in the account changes.
 */
@DisplayName("Bad input is refused with the right 4xx and changes nothing")
class BadInputTest {
  static TestApp app;
  static ApiClient api;
  static RuleFixtures fx;
  static Customer owner;
  static StaffUser staff;
  static PartnerUser partner;
  static PartnerUser waiting;
  static String session;
  static String requestId;
  static JsonObject before;

  @BeforeAll
  static void start() {
    app = TestApp.start(RuleFixtures.productConfig());
    api = app.api();
    fx = new RuleFixtures(app);
    owner = api.signUpCustomer("Bad Input Bakery", null);
    staff = fx.staff(owner, "staff");
    partner = api.signUpPartner("Bad Input Partners");
    api.connectByInvite(partner, owner);
    session = api.session(partner, owner.accountId());
    waiting = api.signUpPartner("Bad Input Waiting");
    api.connectByInvite(waiting, owner);
    expect(api.setAccess(owner, waiting.partnerId(), false), 200);
    requestId = fx.requestAccessId(waiting, owner.accountId());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** What bad input must never change. */
  static JsonObject snapshot() {
    JsonObject account = expect(api.get("/api/v1/account", owner.token()), 200).json();
    JsonObject staffList = expect(api.get("/api/v1/account/staff", owner.token()), 200).json();
    staffList.getJsonArray("partners").forEach(p -> ((JsonObject) p).remove("lastAccessedAt"));
    return new JsonObject().put("account", account).put("staff", staffList)
        .put("requests", expect(api.get("/api/v1/account/access-requests", owner.token()), 200).json())
        .put("banners", expect(api.get("/api/v1/account/banners", owner.token()), 200).json())
        .put("invites", expect(api.get("/api/v1/partner/invites", partner.token()), 200).json())
        .put("customers", expect(api.get("/api/v1/partner/customers", partner.token()), 200).json().getJsonArray("customers")
            .size())
        .put("activity", expect(api.get("/api/v1/account/activity", owner.token()), 200).json()
            .getJsonArray("activity").size());
  }

  @BeforeEach
  void remember() {
    before = snapshot();
  }

  @AfterEach
  void nothingChanged() {
    assertThat(snapshot()).isEqualTo(before);
  }

  /** A 4xx refusal in problem+json with this reason; never a 500. */
  static void bad(Reply r, int status, String reason) {
    assertThat(r.status()).as("%s", r).isBetween(400, 499);
    assertRefused(r, status, reason);
    assertThat(r.json().getInteger("status")).isEqualTo(status);
    assertThat(r.json().getString("title")).isNotBlank();
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private Reply raw(String method, String path, String token, String body, String contentType) {
    return api.raw(method, path, token, body, contentType);
  }

  @Test
  @DisplayName("Malformed JSON bodies get 400 MALFORMED_JSON")
  void malformedJson() {
    bad(raw("POST", "/api/v1/account/jobs", owner.token(), "{\"title\": \"Job\"", "application/json"), 400, "MALFORMED_JSON");
    bad(raw("POST", "/api/v1/signup", null, "{not json at all", "application/json"), 400, "MALFORMED_JSON");
    bad(raw("PUT", "/api/v1/account/partners/" + waiting.partnerId() + "/access", owner.token(), "{\"enabled\": tru}",
        "application/json"), 400, "MALFORMED_JSON");
    bad(raw("POST", "/api/v1/auth/token", null, "\u0000\u0001", "application/json"), 400, "MALFORMED_JSON");
  }

  @Test
  @DisplayName("Wrong types, a JSON array instead of an object, and out-of-range values get 400 VALIDATION_FAILED")
  void wrongTypes() {
    bad(api.post("/api/v1/account/jobs", owner.token(), new JsonObject().put("title", 5)), 400, "VALIDATION_FAILED");
    bad(api.post("/api/v1/account/jobs", owner.token(), new JsonObject().put("title", "x").put("quantity", "many")), 400,
        "VALIDATION_FAILED");
    bad(api.post("/api/v1/account/jobs", owner.token(), new JsonObject().put("title", "x").put("quantity", 0)), 400,
        "VALIDATION_FAILED");
    bad(api.post("/api/v1/account/jobs", owner.token(), new JsonObject().put("title", "x").put("quantity", 501)), 400,
        "VALIDATION_FAILED");
    bad(api.post("/api/v1/account/jobs", owner.token(), new JsonObject().put("title", "x").put("quantity", 1e20)), 400,
        "VALIDATION_FAILED");
    bad(api.post("/api/v1/account/jobs", owner.token(), new JsonObject().put("title", "   ")), 400, "VALIDATION_FAILED");
    bad(api.post("/api/v1/account/jobs", owner.token(), new JsonObject().put("title", "x".repeat(201))), 400,
        "VALIDATION_FAILED");
    bad(raw("POST", "/api/v1/account/jobs", owner.token(), "[{\"title\":\"x\"}]", "application/json"), 400, "VALIDATION_FAILED");
    bad(raw("POST", "/api/v1/account/jobs", owner.token(), "\"just a string\"", "application/json"), 400, "VALIDATION_FAILED");
    bad(api.put("/api/v1/account/partners/" + waiting.partnerId() + "/access", owner.token(),
        new JsonObject().put("enabled", "yes")), 400, "VALIDATION_FAILED");
    bad(api.put("/api/v1/account/partners/" + waiting.partnerId() + "/access", owner.token(),
        new JsonObject().putNull("enabled")), 400, "VALIDATION_FAILED");
    bad(api.put("/api/v1/account/owner", owner.token(), new JsonObject().put("userId", 42)), 400, "VALIDATION_FAILED");
    bad(api.put("/api/v1/account/owner", owner.token(), new JsonObject().put("userId", "not-a-uuid")), 400, "VALIDATION_FAILED");
    bad(api.post("/api/v1/account/staff", owner.token(), new JsonObject().put("name", "Boss").put("role", "owner")
        .put("email", ApiClient.uniqueEmail("boss")).put("password", "password-123")), 400, "VALIDATION_FAILED");
    bad(api.post("/api/v1/account/staff", owner.token(), new JsonObject().put("name", "Short").put("role", "staff")
        .put("email", ApiClient.uniqueEmail("short")).put("password", "short")), 400, "VALIDATION_FAILED");
    bad(api.post("/api/v1/account/staff", owner.token(), new JsonObject().put("name", "Mail").put("role", "staff")
        .put("email", "not-an-email").put("password", "password-123")), 400, "VALIDATION_FAILED");
    bad(api.post("/api/v1/partner/invites", partner.token(), new JsonObject().put("accountId", "123")), 400, "VALIDATION_FAILED");
  }

  @Test
  @DisplayName("Bad query parameters get 400 VALIDATION_FAILED")
  void badQueries() {
    bad(api.get("/api/v1/account/jobs?limit=abc", owner.token()), 400, "VALIDATION_FAILED");
    bad(api.get("/api/v1/account/jobs?limit=0", owner.token()), 400, "VALIDATION_FAILED");
    bad(api.get("/api/v1/account/jobs?limit=100000", owner.token()), 400, "VALIDATION_FAILED");
    bad(api.get("/api/v1/account/activity?before=-3", owner.token()), 400, "VALIDATION_FAILED");
    bad(api.get("/api/v1/account/access-requests?status=maybe", owner.token()), 400, "VALIDATION_FAILED");
    bad(api.get("/api/v1/partner/commission?month=2024-13", partner.token()), 400, "VALIDATION_FAILED");
    bad(api.get("/api/v1/partner/commission?month=yesterday", partner.token()), 400, "VALIDATION_FAILED");
    bad(api.get("/api/v1/partner/commission/history?months=99", partner.token()), 400, "VALIDATION_FAILED");
    bad(api.post("/api/v1/test/clock", null, new JsonObject().put("days", -1)), 400, "VALIDATION_FAILED");
    bad(api.post("/api/v1/test/clock", null, new JsonObject().put("days", "soon")), 400, "VALIDATION_FAILED");
  }

  @Test
  @DisplayName("Missing fields and missing bodies get 400 VALIDATION_FAILED")
  void missingFields() {
    bad(api.post("/api/v1/signup", null, new JsonObject().put("businessName", "No Email").put("name", "N")
        .put("password", "password-123")), 400, "VALIDATION_FAILED");
    bad(api.post("/api/v1/partners/signup", null, new JsonObject().put("organisation", "No Name")), 400, "VALIDATION_FAILED");
    bad(api.post("/api/v1/auth/token", null, new JsonObject().put("email", owner.email())), 400, "VALIDATION_FAILED");
    bad(api.post("/api/v1/account/jobs", owner.token(), new JsonObject()), 400, "VALIDATION_FAILED");
    bad(api.post("/api/v1/account/jobs", owner.token(), null), 400, "VALIDATION_FAILED");
    bad(api.put("/api/v1/account/partners/" + waiting.partnerId() + "/access", owner.token(), new JsonObject()), 400,
        "VALIDATION_FAILED");
    bad(api.put("/api/v1/account/subscription", owner.token(), new JsonObject()), 400, "VALIDATION_FAILED");
    bad(api.put("/api/v1/account/owner", owner.token(), null), 400, "VALIDATION_FAILED");
    bad(api.post("/api/v1/partner/customers", partner.token(), new JsonObject()), 400, "VALIDATION_FAILED");
    bad(api.post("/api/v1/partner/invites", partner.token(), new JsonObject()), 400, "VALIDATION_FAILED");
    bad(api.post("/api/v1/partner/invites", partner.token(), new JsonObject().put("accountId", owner.accountId())
        .put("email", "both@example.test")), 400, "VALIDATION_FAILED");
    bad(fx.send("PUT", "/api/v1/ops/accounts/" + owner.accountId() + "/expiry-rule",
        Map.of("Content-Type", "application/json", "X-Ops-Token", TestApp.OPS_TOKEN), "{}"), 400, "VALIDATION_FAILED");
    bad(fx.send("PUT", "/api/v1/ops/accounts/" + owner.accountId() + "/expiry-rule",
        Map.of("Content-Type", "application/json", "X-Ops-Token", TestApp.OPS_TOKEN), "{\"activeFrom\":\"next tuesday\"}"),
        400, "VALIDATION_FAILED");
  }

  @Test
  @DisplayName("Unknown ids get 404 NOT_FOUND (partners not connected to the account get 403 NOT_CONNECTED)")
  void unknownIds() {
    String id = randomId();
    bad(fx.approve(owner.token(), id), 404, "NOT_FOUND");
    bad(fx.deny(owner.token(), id), 404, "NOT_FOUND");
    bad(fx.accept(owner.token(), id), 404, "NOT_FOUND");
    bad(fx.decline(owner.token(), id), 404, "NOT_FOUND");
    bad(api.post("/api/v1/account/banners/" + id + "/dismiss", owner.token(), null), 404, "NOT_FOUND");
    bad(api.post("/api/v1/partner/banners/" + id + "/dismiss", partner.token(), null), 404, "NOT_FOUND");
    bad(api.delete("/api/v1/partner/invites/" + id, partner.token()), 404, "NOT_FOUND");
    bad(api.post("/api/v1/partner/invites/" + id + "/resend", partner.token(), null), 404, "NOT_FOUND");
    bad(api.post("/api/v1/partner/invites", partner.token(), new JsonObject().put("accountId", id)), 404, "NOT_FOUND");
    bad(api.put("/api/v1/account/owner", owner.token(), new JsonObject().put("userId", id)), 404, "NOT_FOUND");
    bad(api.put("/api/v1/account/owner", owner.token(), new JsonObject().put("userId", partner.userId())), 404, "NOT_FOUND");
    bad(fx.switchRuleOn(id, Instant.now().toString()), 404, "NOT_FOUND");
    bad(api.put("/api/v1/account/partners/" + id + "/access", owner.token(), new JsonObject().put("enabled", true)), 403,
        "NOT_CONNECTED");
    bad(fx.disconnectByCustomer(owner, id, null), 403, "NOT_CONNECTED");
    bad(fx.logIn(partner, id), 403, "NOT_CONNECTED");
    bad(fx.requestAccess(partner, id), 403, "NOT_CONNECTED");
    bad(fx.disconnectByPartner(partner, id), 403, "NOT_CONNECTED");
    bad(api.get("/api/v1/no-such-thing", owner.token()), 404, "NOT_FOUND");
    bad(api.get("/no-such-page", null), 404, "NOT_FOUND");
    // the owner is still the owner after the failed owner changes
    assertThat(expect(api.get("/api/v1/account/activity", owner.token()), 200).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("Path ids that are not UUIDs get 400 VALIDATION_FAILED")
  void nonUuidPathIds() {
    bad(fx.approve(owner.token(), "not-a-uuid"), 400, "VALIDATION_FAILED");
    bad(fx.accept(owner.token(), "123"), 400, "VALIDATION_FAILED");
    bad(api.put("/api/v1/account/partners/%27%20OR%201=1--/access", owner.token(), new JsonObject().put("enabled", true)),
        400, "VALIDATION_FAILED");
    bad(api.post("/api/v1/account/banners/x/dismiss", owner.token(), null), 400, "VALIDATION_FAILED");
    bad(fx.logIn(partner, "abc"), 400, "VALIDATION_FAILED");
    bad(api.delete("/api/v1/partner/invites/../../account", partner.token()), 404, "NOT_FOUND");
  }

  @Test
  @DisplayName("Bodies over 64 KiB get 413 PAYLOAD_TOO_LARGE")
  void oversizedBodies() {
    String huge = new JsonObject().put("title", "x".repeat(70 * 1024)).encode();
    bad(raw("POST", "/api/v1/account/jobs", owner.token(), huge, "application/json"), 413, "PAYLOAD_TOO_LARGE");
    bad(raw("POST", "/api/v1/signup", null, huge, "application/json"), 413, "PAYLOAD_TOO_LARGE");
  }

  @Test
  @DisplayName("A body that is not JSON by its content type gets 415 UNSUPPORTED_MEDIA_TYPE")
  void wrongContentType() {
    bad(raw("POST", "/api/v1/account/jobs", owner.token(), "{\"title\":\"x\"}", "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE");
    bad(raw("POST", "/api/v1/account/jobs", owner.token(), "title=x", "application/x-www-form-urlencoded"), 415,
        "UNSUPPORTED_MEDIA_TYPE");
    bad(raw("PUT", "/api/v1/account/partners/" + waiting.partnerId() + "/access", owner.token(), "<enabled>true</enabled>",
        "application/xml"), 415, "UNSUPPORTED_MEDIA_TYPE");
  }

  @Test
  @DisplayName("Forged, expired, unsigned, tampered and garbage tokens get 401 TOKEN_INVALID")
  void badTokens() {
    JsonObject claims = TestTokens.payload(owner.token());
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("wrong secret", TestTokens.hs256("not-the-secret-not-the-secret-not-the-secret", claims));
    long past = Instant.now().getEpochSecond() - 3600;
    tokens.put("expired", TestTokens.signed(claims.copy().put("iat", past - 3600).put("exp", past)));
    tokens.put("alg none", TestTokens.unsigned(claims));
    tokens.put("tampered payload", TestTokens.withPayload(staff.token(),
        TestTokens.payload(staff.token()).put("role", "owner").put("sub", owner.ownerId())));
    tokens.put("wrong issuer", TestTokens.signed(claims.copy().put("iss", "someone-else")));
    tokens.put("wrong audience", TestTokens.signed(claims.copy().put("aud", "someone-else")));
    tokens.put("customer without account", TestTokens.signed(claims.copy().put("acct", (String) null)));
    tokens.put("partner id not a uuid", TestTokens.signed(TestTokens.partnerClaims(partner.userId(), "nope",
        owner.accountId(), "x")));
    tokens.put("garbage", "garbage");
    tokens.put("three dots", "a.b.c");
    tokens.forEach((what, token) -> {
      bad(api.get("/api/v1/account", token), 401, "TOKEN_INVALID");
      bad(api.createJobs(token, 1), 401, "TOKEN_INVALID");
      bad(api.put("/api/v1/account/partners/" + waiting.partnerId() + "/access", token,
          new JsonObject().put("enabled", true)), 401, "TOKEN_INVALID");
    });
    for (String header : new String[] {"Basic b3duZXI6cGFzc3dvcmQ=", "Bearer", "Bearer    ", "Token abc", "bearer"}) {
      Reply r = fx.send("GET", "/api/v1/account", Map.of("Authorization", header), null);
      bad(r, 401, "TOKEN_INVALID");
      assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
    }
    bad(api.get("/api/v1/account", null), 401, "UNAUTHENTICATED");
  }

  @Test
  @DisplayName("A validly signed token cannot lift a role or reach a user that does not exist: roles come from the database")
  void signedTokensAreNotTrustedForRoles() {
    JsonObject staffClaims = TestTokens.payload(staff.token());
    String promoted = TestTokens.signed(staffClaims.copy().put("role", "owner"));
    bad(api.get("/api/v1/account/activity", promoted), 403, "OWNER_ONLY");
    bad(api.post("/api/v1/account/cancel", promoted, null), 403, "OWNER_ONLY");
    String ghost = TestTokens.signed(TestTokens.customerClaims(randomId(), owner.accountId(), "owner"));
    bad(api.get("/api/v1/account", ghost), 401, "TOKEN_INVALID");
    // a partner token cannot be scoped to an account by editing it: the signature breaks
    String unscoped = partner.token();
    String scopedByHand = TestTokens.withPayload(unscoped, TestTokens.payload(unscoped).put("acct", owner.accountId()));
    bad(api.get("/api/v1/account", scopedByHand), 401, "TOKEN_INVALID");
  }

  @Test
  @DisplayName("Sign-in and sign-up refusals: wrong password, taken email, unknown plan, unknown referral code")
  void identityRefusals() {
    bad(api.post("/api/v1/auth/token", null, new JsonObject().put("email", owner.email()).put("password", "wrong-password")),
        401, "INVALID_CREDENTIALS");
    bad(api.post("/api/v1/auth/token", null, new JsonObject().put("email", "nobody@example.test").put("password", "x")),
        401, "INVALID_CREDENTIALS");
    bad(api.post("/api/v1/signup", null, new JsonObject().put("businessName", "Copy").put("name", "Copy")
        .put("email", owner.email().toUpperCase()).put("password", "password-123")), 409, "EMAIL_TAKEN");
    bad(api.post("/api/v1/partners/signup", null, new JsonObject().put("organisation", "Copy").put("name", "Copy")
        .put("email", partner.email()).put("password", "password-123")), 409, "EMAIL_TAKEN");
    bad(api.post("/api/v1/signup", null, new JsonObject().put("businessName", "Plan").put("name", "Plan")
        .put("email", ApiClient.uniqueEmail("plan")).put("password", "password-123").put("plan", "gold-plated")), 422,
        "UNKNOWN_PLAN");
    bad(api.put("/api/v1/account/subscription", owner.token(), new JsonObject().put("plan", "gold-plated")), 422,
        "UNKNOWN_PLAN");
    // an invite to a partner's address is treated like any address with no account: refusing it would tell anyone
    // who signs up as a partner which addresses are registered partners
    ApiClient.Reply toPartner = api.post("/api/v1/partner/invites", waiting.token(),
        new JsonObject().put("email", partner.email()));
    org.assertj.core.api.Assertions.assertThat(toPartner.status()).isEqualTo(201);
    org.assertj.core.api.Assertions.assertThat(toPartner.json().getValue("accountId")).isNull();
  }
}
