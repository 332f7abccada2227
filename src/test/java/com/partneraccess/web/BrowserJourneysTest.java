package com.partneraccess.web;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * The main journeys in a real browser: Playwright for Java driving Debian's Chromium (never a downloaded
 * browser). Without /usr/bin/chromium the class is skipped, except under CI=true where that is a failure.
 * Each journey refreshes screenshots of the pages it passes under docs/screenshots/.
 */
@DisplayName("Browser journeys (Playwright + Chromium)")
class BrowserJourneysTest {
  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  static final Path SHOTS = Paths.get("docs/screenshots");
  static final String PASSWORD = "password-123";

  static TestApp app;
  static ApiClient api;
  static Playwright playwright;
  static Browser browser;
  final List<BrowserContext> contexts = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      String how = "Chromium not found at " + CHROMIUM + "; install it with: apt-get update && apt-get install -y chromium";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(how);
      }
      Assumptions.abort(how);
    }
    Files.createDirectories(SHOTS);
    app = TestApp.start();
    api = app.api();
    playwright = Playwright.create();
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(CHROMIUM)
        .setHeadless(true)
        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @AfterEach
  void closeContexts() {
    contexts.forEach(BrowserContext::close);
    contexts.clear();
  }

  private Page newPage() {
    BrowserContext ctx = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 860));
    ctx.setDefaultTimeout(15_000);
    contexts.add(ctx);
    return ctx.newPage();
  }

  private static String url(String path) {
    return app.baseUrl() + path;
  }

  /** Saves the page's screenshot and checks it with axe-core (WCAG 2 A and AA): no moderate, serious or critical issue. */
  private static void shot(Page page, String name) {
    page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
    accessible(page, name);
  }

  private static String axeSource;

  private static void accessible(Page page, String name) {
    if (axeSource == null) {
      try (var in = BrowserJourneysTest.class.getClassLoader()
          .getResourceAsStream("axe.min.js")) {
        axeSource = new String(java.util.Objects.requireNonNull(in, "axe.min.js (com.deque.html.axe-core)").readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
    page.evaluate("source => { if (!window.axe) { (0, eval)(source); } }", axeSource);
    Object problems = page.evaluate("async () => {"
        + " const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });"
        + " return r.violations.filter(v => v.impact !== 'minor')"
        + "   .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', ')); }");
    Assertions.assertEquals(List.of(), problems, "accessibility problems on " + name);
  }

  private static void signIn(Page page, String email, String password) {
    page.navigate(url("/signin"));
    page.getByLabel("Email").fill(email);
    page.getByLabel("Password").fill(password);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
    assertThat(page.locator("#flash")).containsText("Signed in as");
  }

  private static Locator button(Page page, String name) {
    return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
  }

  private static String unique(String name) {
    return name + " " + UUID.randomUUID().toString().substring(0, 4);
  }

  @Test
  @DisplayName("1. R3b/R8/R25: a partner signs up, adds a customer naming its owner, logs in to it; the owner claims it from the link with its own password")
  void addCustomerAndHandOver() {
    // R3b, R8
    Page partner = newPage();
    partner.navigate(url("/signin"));
    shot(partner, "01-sign-in");
    String org = unique("Harbour Accounting");
    partner.navigate(url("/partners/signup"));
    partner.getByLabel("Organisation").fill(org);
    partner.getByLabel("Your name").fill("Hana Harbour");
    partner.getByLabel("Email").fill(ApiClient.uniqueEmail("hana"));
    partner.getByLabel("Password").fill(PASSWORD);
    button(partner, "Create the partner organisation").click();
    assertThat(partner).hasURL(url("/partner/customers"));
    assertThat(partner.locator("#flash")).containsText("Welcome");

    String business = unique("Acme Plumbing");
    String ownerEmail = ApiClient.uniqueEmail("alice");
    partner.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Add a customer")).click();
    partner.getByLabel("Business name").fill(business);
    partner.getByLabel("Owner's name").fill("Alice Acme");
    partner.getByLabel("Owner's email").fill(ownerEmail);
    shot(partner, "03-add-a-customer");
    button(partner, "Add the customer").click();
    assertThat(partner.locator("#flash")).containsText("Added " + business);
    Locator logIn = button(partner, "Log in to " + business);
    assertThat(logIn).isVisible();
    assertThat(partner.locator("tr", new Page.LocatorOptions().setHasText(business)))
        .containsText("Expiry clock not started: 0/100 jobs");
    shot(partner, "02-partner-customers");

    logIn.click();
    assertThat(partner).hasURL(url("/app"));
    assertThat(partner.locator("#partner-strip")).containsText("You are in " + business + " as " + org);
    shot(partner, "04-partner-inside-account");
    button(partner, "Leave").click();
    assertThat(partner).hasURL(url("/partner/customers"));
    assertThat(partner.locator("#partner-strip")).hasCount(0);

    // R25: the owner opens the e-mailed claim link (no mail server here: the stored hash is set to a known token)
    String token = "journey-claim-" + UUID.randomUUID();
    try (com.partneraccess.support.TestSql sql = new com.partneraccess.support.TestSql(app.databaseUrl)) {
      sql.query("UPDATE owner_claims SET token_hash = $1 WHERE email = $2 AND status = 'pending'",
          com.partneraccess.identity.Sha256.hex(token), ownerEmail);
    }
    Page owner = newPage();
    owner.navigate(url("/claim?token=" + token));
    owner.getByLabel("Password").fill("handover-pass-1");
    button(owner, "Claim the account").click();
    assertThat(owner).hasURL(url("/app"));
    assertThat(owner.locator("h1")).hasText(business);
    assertThat(owner.locator("#partner-strip")).hasCount(0);
  }

  @Test
  @DisplayName("2. R7/R16/R17: the owner disables access, the partner requests it, the banner appears without a reload, Approve restores Log in")
  void requestAndApproveLive() {
    // R7, R16, R17
    PartnerUser p = api.signUpPartner(unique("Live Partners"));
    String business = unique("Copperline Electrical");
    Customer c = api.signUpCustomer(business, null);
    api.connectByInvite(p, c);
    String partnerName = api.get("/api/v1/partner/profile", p.token()).json().getString("name");

    Page owner = newPage();
    signIn(owner, c.email(), PASSWORD);
    owner.navigate(url("/app/staff"));
    button(owner, "Disable access for " + partnerName).click();
    assertThat(owner.locator("#flash")).containsText("Disabled access for " + partnerName);
    assertThat(button(owner, "Enable access for " + partnerName)).isVisible();
    shot(owner, "06-staff-and-partners");

    Page partner = newPage();
    signIn(partner, p.email(), PASSWORD);
    Locator request = button(partner, "Request access to " + business);
    assertThat(request).isVisible();
    assertThat(button(partner, "Log in to " + business)).hasCount(0);

    owner.navigate(url("/app"));
    owner.evaluate("window.__noReload = 'still here'");
    request.click();
    assertThat(partner.locator("#flash")).containsText("Access requested");
    assertThat(partner.locator("tr", new Page.LocatorOptions().setHasText(business))).containsText("Access requested");
    assertThat(partner.locator("#partner-live[data-connected=true]")).hasCount(1);

    Locator banner = owner.locator(".banner", new Page.LocatorOptions().setHasText(partnerName + " has requested access"));
    assertThat(banner).isVisible();
    Assertions.assertEquals("still here", owner.evaluate("window.__noReload"), "the dashboard must not reload");
    shot(owner, "05-dashboard-live-banner");
    banner.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve")).click();
    assertThat(owner.locator("#flash")).containsText("Approved: " + partnerName + " can log in");
    // the partner's open Customers page hears the outcome live (R16: the partner sees the outcome)
    assertThat(partner.locator("#partner-live")).containsText(business + " approved your access request");
    // and its table follows without a reload: Log in is back
    Locator logIn = button(partner, "Log in to " + business);
    assertThat(logIn).isVisible();
    logIn.click();
    assertThat(partner.locator("#partner-strip")).containsText("You are in " + business);
  }

  @Test
  @DisplayName("3. R3a/R6/R7: a customer signs up through the referral link, joins with access off, the owner allows login and Log in appears")
  void referralSignUpThenAllow() {
    // R3a, R6, R7, R22
    PartnerUser p = api.signUpPartner(unique("Referral Partners"));
    String partnerName = api.get("/api/v1/partner/profile", p.token()).json().getString("name");
    Page partner = newPage();
    partner.context().grantPermissions(List.of("clipboard-read", "clipboard-write"));
    signIn(partner, p.email(), PASSWORD);
    partner.locator("nav").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Badges & Promotion")).click();
    String link = partner.getByLabel("Your unique referral link").inputValue();
    Assertions.assertTrue(link.endsWith("/signup?ref=" + p.referralCode()), link);
    button(partner, "Copy").click();
    assertThat(partner.locator("#referral-link-status")).hasText("Copied to the clipboard");
    shot(partner, "07-badges-and-promotion");

    String business = unique("Blue Fern Cafe");
    String ownerEmail = ApiClient.uniqueEmail("ben");
    Page owner = newPage();
    owner.navigate(link);
    assertThat(owner.locator("#referrer")).containsText("Recommended by " + partnerName);
    owner.getByLabel("Business name").fill(business);
    owner.getByLabel("Your name").fill("Ben Fern");
    owner.getByLabel("Email").fill(ownerEmail);
    owner.getByLabel("Password").fill(PASSWORD);
    shot(owner, "08-sign-up-by-referral");
    button(owner, "Create my account").click();
    assertThat(owner).hasURL(url("/app"));
    assertThat(owner.locator("#flash")).containsText("You are connected to " + partnerName);

    partner.navigate(url("/partner/customers"));
    Locator row = partner.locator("tr", new Page.LocatorOptions().setHasText(business));
    assertThat(row).containsText("Disabled");
    assertThat(row).containsText("Referral link");
    assertThat(button(partner, "Log in to " + business)).hasCount(0);

    owner.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Account › Login details")).click();
    Locator allow = owner.getByLabel("Allow " + partnerName + " to login to your account?");
    assertThat(allow).not().isChecked();
    allow.check();
    shot(owner, "09-login-details-partner-access");
    button(owner, "Save").click();
    assertThat(owner.locator("#flash")).containsText("Saved: " + partnerName + " can now log in");
    assertThat(allow).isChecked();

    partner.reload();
    assertThat(button(partner, "Log in to " + business)).isVisible();
    partner.navigate(url("/partner/commission"));
    assertThat(partner.locator("svg.chart rect")).hasCount(12);
    shot(partner, "10-commission");
  }

  @Test
  @DisplayName("4. R18/R19/R20: the disconnection wizard removes the customer from the partner's list and Request access is gone")
  void disconnectionWizard() {
    // R18, R19, R20
    PartnerUser p = api.signUpPartner(unique("Parting Partners"));
    String partnerName = api.get("/api/v1/partner/profile", p.token()).json().getString("name");
    String business = unique("Dune Landscaping");
    Customer c = api.signUpCustomer(business, null);
    api.connectByInvite(p, c);
    api.setAccess(c, p.partnerId(), false);

    Page owner = newPage();
    signIn(owner, c.email(), PASSWORD);
    owner.navigate(url("/app/staff"));
    owner.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Disconnect " + partnerName)).click();
    assertThat(owner.locator("#consequences")).containsText("revenue share");
    owner.getByLabel("Reason").fill("We moved to another accountant");
    shot(owner, "11-disconnection-wizard");
    button(owner, "Disconnect " + partnerName).click();
    assertThat(owner.locator("#flash")).containsText("Disconnected " + partnerName);
    assertThat(owner.locator("#staff")).not().containsText(partnerName);

    Page partner = newPage();
    signIn(partner, p.email(), PASSWORD);
    assertThat(partner.locator("main")).not().containsText(business);
    assertThat(button(partner, "Request access to " + business)).hasCount(0);
  }

  @Test
  @DisplayName("5. R9/R23: a partner inside an account cannot reach activity history, subscription, cancel or owner change")
  void ownerOnlyAreasRefused() {
    // R9, R23
    PartnerUser p = api.signUpPartner(unique("Bounded Partners"));
    String business = unique("Granite Joinery");
    Customer c = api.signUpCustomer(business, null);
    api.connectByInvite(p, c);

    Page partner = newPage();
    signIn(partner, p.email(), PASSWORD);
    button(partner, "Log in to " + business).click();
    assertThat(partner.locator("#partner-strip")).isVisible();
    Locator nav = partner.locator("nav[aria-label=Account]");
    assertThat(nav).containsText("Staff");
    for (String area : List.of("Activity history", "Subscription", "Cancel account", "Account owner", "Partner invites")) {
      assertThat(nav).not().containsText(area);
    }
    partner.navigate(url("/app/invites"));
    assertThat(partner.locator("#refusal")).containsText("Only the customer's owner or admins can do this");
    for (String path : List.of("/app/activity", "/app/subscription", "/app/cancel", "/app/owner")) {
      partner.navigate(url(path));
      assertThat(partner.locator("#refusal")).containsText("partners never can");
    }
    shot(partner, "12-owner-only-refused");

    Page owner = newPage();
    signIn(owner, c.email(), PASSWORD);
    owner.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Activity history")).click();
    assertThat(owner.locator("#activity")).containsText("logged in as partner");
    shot(owner, "13-activity-history");
  }

  @Test
  @DisplayName("6. R32: the owner asks who could access the account at a moment, sees who did, and downloads the history as CSV")
  void historyOnADate() throws Exception {
    // R32
    PartnerUser p = api.signUpPartner(unique("Moment Partners"));
    String partnerName = api.get("/api/v1/partner/profile", p.token()).json().getString("name");
    Customer c = api.signUpCustomer(unique("Quartz Bakery"), null);
    api.connectByInvite(p, c);
    api.session(p, c.accountId());
    api.post("/api/v1/test/clock", null, new io.vertx.core.json.JsonObject().put("seconds", 120));
    String moment = java.time.LocalDateTime.ofInstant(app.clock.now(), java.time.ZoneOffset.UTC)
        .truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();

    Page owner = newPage();
    signIn(owner, c.email(), PASSWORD);
    owner.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Activity history")).click();
    owner.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("History on a date, and CSV export")).click();
    owner.getByLabel("Date and time").fill(moment);
    owner.locator("#tz").fill("UTC");
    button(owner, "Show who could access").click();
    assertThat(owner.locator("#could-summary")).containsText("1 partner could access the account at that moment");
    assertThat(owner.locator("#could")).containsText(partnerName);
    assertThat(owner.locator("#did")).containsText("logged in as partner");
    shot(owner, "15-history-on-a-date");

    String today = moment.substring(0, 10);
    owner.getByLabel("From (first day)").fill(today);
    owner.getByLabel("To (last day, included)").fill(today);
    com.microsoft.playwright.Download download = owner.waitForDownload(() -> button(owner, "Download CSV").click());
    org.junit.jupiter.api.Assertions.assertTrue(download.suggestedFilename().startsWith("activity-" + today),
        download.suggestedFilename());
    List<String> lines = Files.readAllLines(download.path());
    Assertions.assertEquals("id,at,kind,summary,user,partner", lines.get(0));
    org.junit.jupiter.api.Assertions.assertTrue(lines.stream().anyMatch(l -> l.contains("partner.login")), lines.toString());
  }

  @Test
  @DisplayName("The pages are usable at phone width")
  void phoneWidth() {
    PartnerUser p = api.signUpPartner(unique("Pocket Partners"));
    api.signUpCustomer(unique("Pocket Bakery"), p.referralCode());
    BrowserContext ctx = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844)
        .setIsMobile(true).setHasTouch(true));
    contexts.add(ctx);
    Page phone = ctx.newPage();
    signIn(phone, p.email(), PASSWORD);
    assertThat(button(phone, "Request access to " + api.get("/api/v1/partner/customers", p.token()).json()
        .getJsonArray("customers").getJsonObject(0).getString("businessName"))).isVisible();
    Object overflow = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1");
    Assertions.assertEquals(Boolean.FALSE, overflow, "no horizontal scrolling at 390 px");
    shot(phone, "14-customers-phone");
  }
}
