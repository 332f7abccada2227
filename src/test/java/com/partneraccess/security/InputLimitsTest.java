package com.partneraccess.security;

import com.partneraccess.rules.RuleFixtures;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.PageClient;
import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three causes of 500s the fuzzer found (issue 9, item 3), each on every route and page it reaches:
 * passwords over bcrypt's 72 UTF-8 bytes, a NUL character in stored text (PostgreSQL 22021), a form field over
 * 8 KB; and the 414 and 431 answers, which say why in their body.
 */
@DisplayName("No input gets a 500: long passwords, NUL characters, huge form fields, long URIs and headers")
class InputLimitsTest {
  /** 40 characters, 80 UTF-8 bytes: within any character limit, beyond bcrypt's 72 bytes. */
  static final String WIDE_PASSWORD = "ü".repeat(40);
  static final String LONG_PASSWORD = "p".repeat(73);

  static TestApp app;
  static ApiClient api;
  static RuleFixtures fx;
  static Customer owner;
  static PartnerUser partner;
  static String ownerless;

  @BeforeAll
  static void start() {
    app = TestApp.start(RuleFixtures.productConfig());
    api = app.api();
    fx = new RuleFixtures(app);
    owner = api.signUpCustomer("Limits Laundry", null);
    partner = api.signUpPartner("Limits Partners");
    ownerless = fx.addCustomer(partner, "Ownerless Oven", null, null).getString("accountId");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static void badRequest(Reply r) {
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.reason()).isEqualTo("VALIDATION_FAILED");
  }

  static void badPage(HttpResponse<String> r) {
    assertThat(r.statusCode()).as("%s %s", r.uri(), r.body()).isBetween(400, 413);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(r.body()).contains("<html");
  }

  @Test
  @DisplayName("A password over 72 UTF-8 bytes gets 400 with a reason on every API route that takes one")
  void longPasswordsOnTheApi() {
    for (String pw : new String[] {WIDE_PASSWORD, LONG_PASSWORD}) {
      JsonObject who = new JsonObject().put("name", "Long Password").put("email", ApiClient.uniqueEmail("long"))
          .put("password", pw);
      badRequest(api.post("/api/v1/signup", null, who.copy().put("businessName", "Long Password Ltd")));
      badRequest(api.post("/api/v1/partners/signup", null, who.copy().put("organisation", "Long Password Org")));
      badRequest(api.post("/api/v1/auth/token", null, new JsonObject().put("email", owner.email()).put("password", pw)));
      badRequest(api.post("/api/v1/staff-invites/accept", null,
          new JsonObject().put("token", "t".repeat(40)).put("password", pw)));
      badRequest(api.post("/api/v1/owner-claims/accept", null,
          new JsonObject().put("token", "t".repeat(40)).put("password", pw)));
      badRequest(api.post("/api/v1/account/staff", owner.token(), who.copy().put("role", "staff")));
      badRequest(api.post("/api/v1/partner/customers", partner.token(),
          new JsonObject().put("businessName", "Long Owner Ltd").put("owner", who)));
      badRequest(api.post("/api/v1/partner/customers/" + ownerless + "/owner", partner.token(), who));
      Reply r = api.post("/api/v1/signup", null, who.copy().put("businessName", "Long Password Ltd"));
      assertThat(r.json().getString("detail")).contains("72");
    }
    // 72 bytes exactly is still a password
    expect(api.post("/api/v1/partners/signup", null, new JsonObject().put("organisation", "Just Fits")
        .put("name", "Just Fits").put("email", ApiClient.uniqueEmail("fits")).put("password", "ü".repeat(36))), 201);
  }

  @Test
  @DisplayName("A password over 72 UTF-8 bytes gets an HTML 400 with the form again on every page that takes one")
  void longPasswordsOnPages() {
    PageClient anonymous = new PageClient(app.baseUrl());
    anonymous.get("/signin");
    Map<String, String> who = Map.of("name", "Long Page", "email", ApiClient.uniqueEmail("lp"), "password", WIDE_PASSWORD);
    badPage(anonymous.post("/signin", Map.of("email", owner.email(), "password", WIDE_PASSWORD)));
    badPage(anonymous.post("/signup", with(who, "businessName", "Long Page Ltd")));
    badPage(anonymous.post("/partners/signup", with(who, "organisation", "Long Page Org")));
    badPage(anonymous.post("/staff-invite", Map.of("token", "t".repeat(40), "password", WIDE_PASSWORD)));
    PageClient ownerPages = new PageClient(app.baseUrl());
    ownerPages.signIn(owner.email(), "password-123");
    HttpResponse<String> staff = ownerPages.post("/app/staff", with(who, "role", "staff"));
    badPage(staff);
    assertThat(staff.body()).contains("72");
    PageClient partnerPages = new PageClient(app.baseUrl());
    partnerPages.signIn(partner.email(), "password-123");
    badPage(partnerPages.post("/partner/customers/new", Map.of("businessName", "Long Page Co", "ownerName", "O",
        "ownerEmail", ApiClient.uniqueEmail("lpo"), "ownerPassword", WIDE_PASSWORD)));
  }

  @Test
  @DisplayName("A NUL character in text that would be stored gets 400, on the API and on pages (PostgreSQL 22021)")
  void nulCharacters() {
    badRequest(api.post("/api/v1/account/jobs", owner.token(), new JsonObject().put("title", "Job\u0000one")));
    badRequest(api.post("/api/v1/signup", null, new JsonObject().put("businessName", "Nul\u0000Ltd").put("name", "N")
        .put("email", ApiClient.uniqueEmail("nul")).put("password", "password-123")));
    badRequest(api.post("/api/v1/partners/signup", null, new JsonObject().put("organisation", "Nul Org")
        .put("name", "N\u0000").put("email", ApiClient.uniqueEmail("nul")).put("password", "password-123")));
    badRequest(api.post("/api/v1/partner/customers", partner.token(), new JsonObject().put("businessName", "\u0000")));
    badRequest(api.delete("/api/v1/partner/customers/" + ownerless + "?reason=%00", partner.token()));
    PageClient ownerPages = new PageClient(app.baseUrl());
    ownerPages.signIn(owner.email(), "password-123");
    badPage(ownerPages.post("/app/jobs", Map.of("title", "Job\u0000two")));
    PageClient anonymous = new PageClient(app.baseUrl());
    anonymous.get("/signup");
    badPage(anonymous.post("/signup", Map.of("businessName", "Nul\u0000Page", "name", "N",
        "email", ApiClient.uniqueEmail("nulp"), "password", "password-123")));
    assertThat(fx.jobCount(owner.token())).isZero();
  }

  @Test
  @DisplayName("A broken %-encoding in the query or a form gets 400, not 500")
  void brokenEncodings() throws Exception {
    for (String query : new String[] {"limit=%zz", "%", "limit=%C3"}) {
      String answer = raw("GET /api/v1/account/jobs?" + query + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
          + owner.token() + "\r\nConnection: close\r\n\r\n");
      assertThat(answer).as(query).containsPattern("^HTTP/1\\.1 400").contains("application/problem+json");
    }
    PageClient anonymous = new PageClient(app.baseUrl());
    anonymous.get("/signin");
    badPage(anonymous.postRaw("/signin", "_csrf=" + anonymous.csrf() + "&email=%zz&password=%"));
  }

  @Test
  @DisplayName("A form field over 8 KB gets an HTML 400 or 413, not a JSON 500")
  void hugeFormFields() {
    PageClient anonymous = new PageClient(app.baseUrl());
    anonymous.get("/signin");
    Map<String, String> form = new LinkedHashMap<>();
    form.put("email", "e".repeat(9 * 1024) + "@example.test");
    form.put("password", "password-123");
    badPage(anonymous.post("/signin", form));
    PageClient ownerPages = new PageClient(app.baseUrl());
    ownerPages.signIn(owner.email(), "password-123");
    badPage(ownerPages.post("/app/jobs", Map.of("title", "t".repeat(20_000))));
  }

  @Test
  @DisplayName("414 (URI too long) and 431 (headers too large) answers say why in their body")
  void tooLongRequestLines() throws Exception {
    String uri414 = raw("GET /api/v1/account?q=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertThat(uri414).containsPattern("^HTTP/1\\.[01] 414");
    assertThat(uri414).contains("application/problem+json").contains("URI_TOO_LONG").contains("long");
    String headers431 = raw("GET /api/v1/account HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
    assertThat(headers431).containsPattern("^HTTP/1\\.[01] 431");
    assertThat(headers431).contains("application/problem+json").contains("HEADERS_TOO_LARGE").contains("header");
  }

  /** Sends a raw HTTP/1.1 request and returns the whole answer (the server closes the connection after it). */
  private static String raw(String request) throws Exception {
    try (Socket s = new Socket("localhost", app.port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> m = new LinkedHashMap<>(base);
    m.put(key, value);
    return m;
  }
}
