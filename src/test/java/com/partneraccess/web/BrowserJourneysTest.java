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
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.TestApp;
import com.partneraccess.support.TestSmtp;
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
  /** Captures the mails the journeys follow (password reset, invites). */
  static TestSmtp mail;
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
    mail = TestSmtp.start();
    app = TestApp.start(mail.config());
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
    if (mail != null) {
      mail.stop();
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

  private static Locator link(Page page, String name) {
    return page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(name).setExact(true));
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
  @DisplayName("2. R7/R16/R17/R29: the owner disables access, the partner requests 7 days with a reason, the banner appears without a reload, the owner approves for 1 day and Log in is back")
  void requestAndApproveLive() {
    // R7, R16, R17, R29
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
    Locator request = link(partner, "Request access to " + business);
    assertThat(request).isVisible();
    assertThat(button(partner, "Log in to " + business)).hasCount(0);

    owner.navigate(url("/app"));
    owner.evaluate("window.__noReload = 'still here'");
    request.click();
    // R29: the request form: a reason is required, a length is chosen
    partner.getByLabel("Reason").fill("Quarter-end books are due on Friday");
    partner.getByLabel("7 days").check();
    shot(partner, "28-request-access-form");
    button(partner, "Request access").click();
    assertThat(partner.locator("#flash")).containsText("Access requested");
    assertThat(partner.locator("tr", new Page.LocatorOptions().setHasText(business))).containsText("Access requested");
    assertThat(partner.locator("#partner-live[data-connected=true]")).hasCount(1);

    Locator banner = owner.locator(".banner", new Page.LocatorOptions().setHasText(partnerName + " has requested access"));
    assertThat(banner).isVisible();
    assertThat(banner).containsText("for 7 days. Reason: Quarter-end books are due on Friday");
    Assertions.assertEquals("still here", owner.evaluate("window.__noReload"), "the dashboard must not reload");
    shot(owner, "05-dashboard-live-banner");
    // R29: the owner approves for a length of its own, 1 day, from the banner
    banner.getByLabel("Or approve for").selectOption("1d");
    banner.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve for this length")).click();
    assertThat(owner.locator("#flash")).containsText("Approved: " + partnerName + " can log in");
    // the partner's open Customers page hears the outcome live (R16: the partner sees the outcome)
    assertThat(partner.locator("#partner-live")).containsText(business + " approved your access request for 1 day");
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

    owner.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings").setExact(true)).click();
    owner.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Login details").setExact(true)).click();
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
    assertThat(link(partner, "Request access to " + business)).hasCount(0);
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
  @DisplayName("15. R27: a partner offline when its request was denied sees the denial on its next visit, and marks it read")
  void offlineDenialSeenOnNextVisit() {
    // R27
    PartnerUser p = api.signUpPartner(unique("Offline Partners"));
    String business = unique("Quarry Roofing");
    Customer c = api.signUpCustomer(business, null);
    api.connectByInvite(p, c);
    api.setAccess(c, p.partnerId(), false);
    String partnerName = api.get("/api/v1/partner/profile", p.token()).json().getString("name");
    ApiClient.expect(api.post("/api/v1/partner/customers/" + c.accountId() + "/access-requests", p.token(),
        new io.vertx.core.json.JsonObject().put("reason", "To close the month")), 201);

    // the partner is not signed in anywhere while the owner denies
    Page owner = newPage();
    signIn(owner, c.email(), PASSWORD);
    owner.navigate(url("/app"));
    owner.locator(".banner", new Page.LocatorOptions().setHasText(partnerName + " has requested access"))
        .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Deny")).click();
    assertThat(owner.locator("#flash")).containsText("Denied");

    Page partner = newPage();
    signIn(partner, p.email(), PASSWORD);
    // accepted invitation, access disabled, request denied: three unread
    assertThat(partner.locator("#notification-unread")).isVisible();
    assertThat(partner.locator("#notification-unread-count")).hasText("3");
    partner.locator("#notifications-link").click();
    assertThat(partner).hasURL(url("/notifications"));
    Locator newest = partner.locator("#notification-list li").first();
    assertThat(newest).containsText(business + " denied your request for access");
    assertThat(newest).containsText("New");
    shot(partner, "15-notifications");
    // the button's name goes on with the message (hidden visually), so each of a list of them says which it marks
    newest.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Mark as read")).click();
    assertThat(partner.locator("#flash")).hasText("Marked as read");
    assertThat(partner.locator("#notification-unread-count")).hasText("2");
    assertThat(partner.locator("#notification-list li").first()).not().containsText("New");
    button(partner, "Mark all as read").click();
    assertThat(partner.locator("#flash")).hasText("Marked 2 notifications as read");
    assertThat(partner.locator("#notification-unread")).isHidden();
    assertThat(partner.locator("#unread-summary")).hasText("Nothing unread.");
  }

  @Test
  @DisplayName("16. R27/R31: the owner's notification centre hears a partner log in without a reload; the owner chooses e-mail for it")
  void loginAlertLiveAndPreferences() {
    // R27, R31
    PartnerUser p = api.signUpPartner(unique("Watched Partners"));
    String business = unique("Lantern Bakery");
    Customer c = api.signUpCustomer(business, null);
    api.connectByInvite(p, c);
    String partnerName = api.get("/api/v1/partner/profile", p.token()).json().getString("name");

    Page owner = newPage();
    signIn(owner, c.email(), PASSWORD);
    owner.locator("#notifications-link").click();
    assertThat(owner.locator("#notification-list li")).hasCount(1); // the partner's invitation
    assertThat(owner.locator("#notification-unread[data-connected=true]")).hasCount(1);
    owner.evaluate("window.__noReload = 'still here'");
    api.session(p, c.accountId());
    Locator alert = owner.locator("#notification-list li").first();
    assertThat(alert).containsText(partnerName + " user of " + partnerName + " logged in at ");
    assertThat(owner.locator("#notification-unread-count")).hasText("2");
    Assertions.assertEquals("still here", owner.evaluate("window.__noReload"), "the centre must not reload");

    owner.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Choose which are e-mailed")).click();
    Locator emailMe = owner.getByLabel("E-mail me: A partner logs in to your account");
    assertThat(emailMe).not().isChecked();
    assertThat(owner.getByLabel("E-mail me: A partner asks for access")).isChecked();
    emailMe.check();
    shot(owner, "16-notification-settings");
    button(owner, "Save").click();
    assertThat(owner.locator("#flash")).hasText("Your notification settings are saved");
    assertThat(owner.getByLabel("E-mail me: A partner logs in to your account")).isChecked();
  }

  @Test
  @DisplayName("17. R28: an admin invites a teammate, who sets a password and signs in; the admin assigns a customer, then removes them")
  void teamManagement() {
    PartnerUser admin = api.signUpPartner(unique("Northwind Advisors"));
    ApiClient.Customer customer = api.signUpCustomer(unique("Team Plumbing"), null);
    api.connectByInvite(admin, customer);
    String business = customer.accountId();
    String businessName = ApiClient.expect(api.get("/api/v1/partner/customers", admin.token()), 200).array("customers")
        .getJsonObject(0).getString("businessName");
    Page adminPage = newPage();
    signIn(adminPage, admin.email(), PASSWORD);
    adminPage.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Team").setExact(true)).click();
    assertThat(adminPage).hasURL(url("/partner/team"));
    String mateEmail = ApiClient.uniqueEmail("sam");
    adminPage.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Sam Lee");
    adminPage.getByLabel("Email", new Page.GetByLabelOptions().setExact(true)).fill(mateEmail);
    adminPage.getByLabel("Role", new Page.GetByLabelOptions().setExact(true)).selectOption("member");
    button(adminPage, "Send invitation").click();
    assertThat(adminPage.locator("#flash")).containsText("Invited Sam Lee (" + mateEmail + ") as member");
    assertThat(adminPage.locator("#team-invites")).containsText(mateEmail);

    // the teammate opens the e-mailed link (no mail server here: the stored hash is set to a known token)
    String token = "journey-team-" + UUID.randomUUID();
    try (com.partneraccess.support.TestSql sql = new com.partneraccess.support.TestSql(app.databaseUrl)) {
      sql.query("UPDATE partner_team_invites SET token_hash = $1 WHERE email = $2 AND status = 'pending'",
          com.partneraccess.identity.Sha256.hex(token), mateEmail);
    }
    Page mate = newPage();
    mate.navigate(url("/team-invite?token=" + token));
    accessible(mate, "team-invite");
    mate.getByLabel("Password").fill("teammate-pass-1");
    button(mate, "Join").click();
    assertThat(mate).hasURL(url("/partner/customers"));
    assertThat(mate.locator("#flash")).containsText("Welcome, Sam Lee");
    assertThat(mate.locator("header .who")).containsText("Sam Lee");
    assertThat(mate.locator("main")).not().containsText(businessName);

    // the admin assigns the customer: the member sees it and may log in
    adminPage.navigate(url("/partner/team"));
    adminPage.getByLabel("Customer to assign to Sam Lee").selectOption(business);
    button(adminPage, "Assign the chosen customer to Sam Lee").click();
    assertThat(adminPage.locator("#flash")).containsText(businessName + " is assigned to Sam Lee");
    shot(adminPage, "17-team");
    mate.navigate(url("/partner/customers"));
    assertThat(button(mate, "Log in to " + businessName)).isVisible();

    // the admin removes the teammate, after a confirmation in words; the teammate's session ends at once
    adminPage.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Remove Sam Lee from the team")).click();
    assertThat(adminPage.locator("h1")).containsText("Remove Sam Lee from");
    accessible(adminPage, "team-remove");
    button(adminPage, "Remove Sam Lee").click();
    assertThat(adminPage.locator("#flash")).containsText("Sam Lee was removed from");
    assertThat(adminPage.locator("#team")).not().containsText("Sam Lee");
    mate.navigate(url("/partner/customers"));
    assertThat(mate).hasURL(java.util.regex.Pattern.compile(".*/signin.*"));
  }

  @Test
  @DisplayName("Find a partner: a partner lists itself, the owner finds it and uses Contact me, the partner sees the lead and invites, the owner accepts")
  void findAPartnerAndContact() {
    // the partner opts in to the directory from its own page
    PartnerUser p = api.signUpPartner(unique("Dales Payroll"));
    String org = api.get("/api/v1/partner/profile", p.token()).json().getString("name");
    String region = unique("Harrogate");
    Page partner = newPage();
    signIn(partner, p.email(), PASSWORD);
    partner.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Directory listing")).click();
    assertThat(partner.locator("#listing-status")).hasText("Not listed");
    partner.getByLabel("List us in the partner directory").check();
    partner.getByLabel("Region").fill(region);
    partner.getByLabel("Payroll").check();
    partner.getByLabel("Description").fill("Payroll and year-end for small firms in the Dales.");
    button(partner, "Save the listing").click();
    assertThat(partner.locator("#flash")).containsText("Your listing is saved");
    assertThat(partner.locator("#listing-status")).hasText("Listed");
    shot(partner, "25-directory-listing");

    // the owner, who has no partner, finds it and asks it to get in touch
    String business = unique("Nidd Valley Cafe");
    Customer c = api.signUpCustomer(business, null);
    Page owner = newPage();
    signIn(owner, c.email(), PASSWORD);
    owner.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Find a partner")).click();
    owner.getByLabel("Region").fill(region);
    owner.getByLabel("Service").selectOption("payroll");
    button(owner, "Search").click();
    Locator row = owner.locator("#directory tr", new Page.LocatorOptions().setHasText(org));
    assertThat(row).containsText("Payroll");
    assertThat(row).containsText("Bronze");
    shot(owner, "26-find-a-partner");
    row.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Contact me: " + org)).click();
    button(owner, "Contact me").click();
    assertThat(owner.locator("#form-error")).containsText("Your message is required");
    owner.getByLabel("Your message").fill("We need help running payroll for 4 staff.");
    button(owner, "Contact me").click();
    assertThat(owner.locator("#flash")).containsText("We sent your request to " + org);
    assertThat(owner.locator("#directory")).containsText(org);

    // the partner sees the lead and invites the business from it (R1); nothing is connected yet
    partner.getByLabel("Partner portal").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Leads")).click();
    Locator lead = partner.locator("#leads tr", new Page.LocatorOptions().setHasText(business));
    assertThat(lead).containsText("We need help running payroll for 4 staff.");
    assertThat(lead).containsText(c.email());
    assertThat(lead).containsText("New");
    shot(partner, "27-leads");
    button(partner, "Invite to connect: " + business).click();
    assertThat(partner.locator("#flash")).containsText("Invite sent to " + business);

    // R2: the owner accepts the invite; the directory then marks the partner connected
    owner.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Partner invites")).click();
    owner.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Review the invite from " + org
        + ": what they can and cannot do")).click();
    button(owner, "Accept and connect " + org).click();
    owner.navigate(url("/app/partners/directory?region=" + java.net.URLEncoder.encode(region,
        java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(owner.locator("#directory tr", new Page.LocatorOptions().setHasText(org)))
        .containsText("Connected to your account");
    partner.navigate(url("/partner/leads"));
    assertThat(partner.locator("#leads tr", new Page.LocatorOptions().setHasText(business))).containsText("Handled");
  }

  @Test
  @DisplayName("6. R30: 90 days on, the owner opens the access review from the banner and disables the partner recommended to disable")
  void accessReviewDisablesOne() {
    // R30
    String business = unique("Harbour Dental");
    Customer c = api.signUpCustomer(business, null);
    PartnerUser busy = api.signUpPartner(unique("Busy Partners"));
    PartnerUser idle = api.signUpPartner(unique("Idle Partners"));
    api.connectByInvite(busy, c);
    api.connectByInvite(idle, c);
    api.advanceClock(80);
    api.session(busy, c.accountId());
    Reply swept = api.post("/api/v1/test/clock", null, new io.vertx.core.json.JsonObject().put("days", 10.01)
        .put("sweep", true));
    Assertions.assertEquals(200, swept.status(), swept.toString());
    String idleName = api.get("/api/v1/partner/profile", idle.token()).json().getString("name");
    String busyName = api.get("/api/v1/partner/profile", busy.token()).json().getString("name");

    Page owner = newPage();
    signIn(owner, c.email(), PASSWORD);
    owner.navigate(url("/app"));
    Locator banner = owner.locator(".banner", new Page.LocatorOptions().setHasText("Access review: 2 partners have access"));
    assertThat(banner).isVisible();
    banner.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Open the access review")).click();
    shot(owner, "29-access-reviews");
    owner.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Open").setExact(false)).first().click();
    Locator idleRow = owner.locator("tr", new Page.LocatorOptions().setHasText(idleName));
    assertThat(idleRow).containsText("Recommended to disable");
    assertThat(idleRow).containsText("Never");
    assertThat(owner.locator("tr", new Page.LocatorOptions().setHasText(busyName))).containsText("1 log-in");
    shot(owner, "30-access-review");
    button(owner, "Disable " + idleName).click();
    assertThat(owner.locator("#flash")).containsText("Disabled: " + idleName + " can no longer log in");
    assertThat(owner.locator("tr", new Page.LocatorOptions().setHasText(idleName))).containsText("Disabled");
    assertThat(button(owner, "Keep " + busyName)).isVisible();
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
    shot(owner, "31-history-on-a-date");

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
    assertThat(link(phone, "Request access to " + api.get("/api/v1/partner/customers", p.token()).json()
        .getJsonArray("customers").getJsonObject(0).getString("businessName"))).isVisible();
    Object overflow = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1");
    Assertions.assertEquals(Boolean.FALSE, overflow, "no horizontal scrolling at 390 px");
    shot(phone, "14-customers-phone");
  }

  @Test
  @DisplayName("6. R4/R8: with many customers the partner searches, filters and changes page; a customer's access change updates the counts live")
  void customersListScales() {
    PartnerUser p = api.signUpPartner(unique("Many Partners"));
    String tag = UUID.randomUUID().toString().substring(0, 4);
    for (int i = 0; i < 30; i++) {
      ApiClient.expect(api.post("/api/v1/partner/customers", p.token(), new io.vertx.core.json.JsonObject()
          .put("businessName", String.format("Shop %s %02d", tag, i))), 201);
    }
    Customer zeta = api.signUpCustomer("Zeta Works " + tag, null);
    api.connectByInvite(p, zeta);
    ApiClient.expect(api.post("/api/v1/partner/invites", p.token(), new io.vertx.core.json.JsonObject()
        .put("email", "waiting-" + tag + "@example.test")), 201);

    Page page = newPage();
    signIn(page, p.email(), PASSWORD);
    // the open invites are near the top, above the list
    assertThat(page.locator("#invites")).containsText("waiting-" + tag + "@example.test");
    Assertions.assertEquals(Boolean.TRUE, page.evaluate("!!(document.getElementById('invites').compareDocumentPosition("
        + "document.getElementById('customers')) & Node.DOCUMENT_POSITION_FOLLOWING)"), "invites above the list");
    assertThat(page.locator("#customer-pages")).containsText("Showing 31 of 31");

    // search
    page.getByLabel("Search by business name or owner e-mail").fill("shop " + tag + " 07");
    button(page, "Show").click();
    assertThat(page.locator("#customers tbody tr")).hasCount(1);
    assertThat(page.locator("#customers")).containsText("Shop " + tag + " 07");

    // page size and the next page
    page.getByLabel("Search by business name or owner e-mail").fill("");
    page.getByLabel("Per page").selectOption("25");
    button(page, "Show").click();
    assertThat(page.locator("#customer-pages")).containsText("Showing 25 of 31");
    shot(page, "18-customers-search-filter-pages");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Next page")).click();
    assertThat(page.locator("#customer-pages")).containsText("Showing 6 of 31");
    assertThat(page.locator("#customers")).containsText("Zeta Works " + tag);
    assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("First page"))).isVisible();

    // filter: disabled (none yet); the owner disables access and the count and the list follow without a reload
    page.locator("#customer-filters a[data-filter=disabled]").click();
    assertThat(page.locator("#list-heading")).containsText("Disabled: 0");
    assertThat(page.locator("#partner-live[data-connected=true]")).hasCount(1);
    page.evaluate("window.__noReload = 'still here'");
    ApiClient.expect(api.setAccess(zeta, p.partnerId(), false), 200);
    assertThat(page.locator("#customer-filters [data-count=disabled]")).hasText("1");
    assertThat(page.locator("#customers")).containsText("Zeta Works " + tag);
    assertThat(page.locator("#customer-filters [data-count=enabled]")).hasText("30");
    Assertions.assertEquals("still here", page.evaluate("window.__noReload"), "the page must not reload");
  }

  /** The link of the newest mail to {@code to} with the given path, once it has arrived. */
  private static String mailedLink(int before, String to, String path) {
    Assertions.assertTrue(mail.server.waitForIncomingEmail(15_000, before + 1), "no mail arrived");
    for (jakarta.mail.internet.MimeMessage m : mail.server.getReceivedMessages()) {
      try {
        if (m.getAllRecipients()[0].toString().equals(to)) {
          java.util.regex.Matcher link = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(app.baseUrl() + path)
              + "[A-Za-z0-9_?=/-]*").matcher(TestSmtp.text(m));
          if (link.find()) {
            return link.group();
          }
        }
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("no mail to " + to + " with a link to " + path);
  }

  @Test
  @DisplayName("6. Forgot password: the owner asks for a link, follows it from the e-mail, chooses a new password and is signed in; the old session ends")
  void passwordResetFromTheEmail() {
    Customer c = api.signUpCustomer(unique("Forgetful Florist"), null);
    Page before = newPage();
    signIn(before, c.email(), PASSWORD);

    Page page = newPage();
    page.navigate(url("/signin"));
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Forgot your password?")).click();
    page.getByLabel("Email").fill(c.email());
    shot(page, "20-forgot-password");
    int sent = mail.server.getReceivedMessages().length;
    button(page, "Email me a link").click();
    assertThat(page.locator("#flash")).containsText("If an account uses that email");

    page.navigate(mailedLink(sent, c.email(), "/reset-password?token="));
    page.getByLabel("New password").fill("short");
    button(page, "Save the new password").click();
    assertThat(page.locator("#password-error")).containsText("at least 8 characters");
    assertThat(page.getByLabel("New password")).hasAttribute("aria-invalid", "true");
    shot(page, "21-reset-password-field-error");
    page.getByLabel("New password").fill("brand-new-pass-1");
    button(page, "Save the new password").click();
    assertThat(page).hasURL(url("/app"));
    assertThat(page.locator("#flash")).containsText("Your password is changed");

    before.navigate(url("/app/jobs"));
    assertThat(before).hasURL(java.util.regex.Pattern.compile(".*/signin.*"));
    Page again = newPage();
    signIn(again, c.email(), "brand-new-pass-1");
    again.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings").setExact(true)).click();
    again.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Your name, email and password")).click();
    assertThat(again.locator("h1")).hasText("Your settings");
    shot(again, "22-settings");
  }

  @Test
  @DisplayName("7. R1/R2/R9: a partner invites an owner; the owner follows the e-mail, sees what the partner can and cannot do, and accepts")
  void inviteReviewedBeforeAccepting() {
    PartnerUser p = api.signUpPartner(unique("Careful Partners"));
    String partnerName = api.get("/api/v1/me", p.token()).json().getString("organisation");
    Customer c = api.signUpCustomer(unique("Cautious Cafe"), null);

    Page partner = newPage();
    signIn(partner, p.email(), PASSWORD);
    partner.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Invite a customer")).click();
    partner.getByLabel("The account owner's email").fill(c.email());
    int sent = mail.server.getReceivedMessages().length;
    button(partner, "Send the invite").click();
    assertThat(partner.locator("#flash")).containsText("Invite sent to " + c.email());
    partner.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Invite a customer")).click();
    partner.getByLabel("The account owner's email").fill(c.email());
    button(partner, "Send the invite").click();
    assertThat(partner.locator("#flash")).containsText("so we sent that invite again instead of making a second one");
    shot(partner, "23-partner-invites");

    // the owner follows the link from the e-mail while signed out: sign in, then straight to the invite
    Page owner = newPage();
    owner.navigate(mailedLink(sent, c.email(), "/app/invites/"));
    assertThat(owner).hasURL(java.util.regex.Pattern.compile(".*/signin\\?next=.*"));
    owner.getByLabel("Email").fill(c.email());
    owner.getByLabel("Password").fill(PASSWORD);
    button(owner, "Sign in").click();
    assertThat(owner.locator("h1")).containsText(partnerName + " invites you to connect as your partner");
    assertThat(owner.locator("#partner-can")).containsText("See and create jobs");
    assertThat(owner.locator("#partner-cannot")).containsText("Read the activity history");
    assertThat(owner.locator("#partner-cannot")).containsText("Cancel the account");
    assertThat(owner.locator("#partner-expiry")).containsText("100 jobs");
    shot(owner, "24-invite-review");
    button(owner, "Accept and connect " + partnerName).click();
    assertThat(owner.locator("#flash")).containsText("Accepted: " + partnerName + " is connected");

    partner.navigate(url("/partner/customers"));
    assertThat(button(partner, "Log in to " + api.get("/api/v1/partner/customers", p.token()).json()
        .getJsonArray("customers").getJsonObject(0).getString("businessName"))).isVisible();
  }
}
