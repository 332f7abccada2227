package com.partneraccess.web;

import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import com.partneraccess.commission.CommissionRepository;
import com.partneraccess.connections.ConnectionRepository;
import com.partneraccess.connections.CustomerView;
import com.partneraccess.http.Plans;
import com.partneraccess.identity.IdentityApi;
import com.partneraccess.identity.IdentityRepository;
import com.partneraccess.identity.Principal;
import com.partneraccess.invites.InviteMail;
import com.partneraccess.invites.InviteRepository;
import com.partneraccess.partners.PartnerApi;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The partner portal: Customers (access, expiry, Log in / Request access, Add a customer, invites),
 * Badges & Promotion (referral link, credits, tier) and the commission statement with a 12-month chart.
 */
final class PartnerPages {
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM yy", Locale.ENGLISH);
  private static final DateTimeFormatter MONTH_LONG = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);

  private final Web web;
  private final AppClock clock;
  private final IdentityRepository identity;
  private final IdentityApi identityApi;
  private final PartnerApi partnerApi;
  private final ConnectionRepository connections;
  private final InviteRepository invites;
  private final InviteMail inviteMail;
  private final CommissionRepository commission;
  private final Plans plans;
  private final String currency;

  PartnerPages(Web web, AppClock clock, IdentityRepository identity, IdentityApi identityApi, PartnerApi partnerApi,
               ConnectionRepository connections, InviteRepository invites, InviteMail inviteMail,
               CommissionRepository commission, Plans plans, String currency) {
    this.web = web;
    this.clock = clock;
    this.identity = identity;
    this.identityApi = identityApi;
    this.partnerApi = partnerApi;
    this.connections = connections;
    this.invites = invites;
    this.inviteMail = inviteMail;
    this.commission = commission;
    this.plans = plans;
    this.currency = currency;
  }

  void mount(PageRoutes.Mount m) {
    m.get("/partner", ctx -> web.redirect(ctx, "/partner/customers"));
    m.get("/partner/customers", Web.page(this::customers));
    m.get("/partner/customers/new", Web.page(ctx -> addCustomerPage(ctx, 200, Map.of(), null)));
    m.post("/partner/customers/new", Web.page(this::addCustomer));
    m.post("/partner/customers/:accountId/login", Web.page(this::logIn));
    m.post("/partner/customers/:accountId/request-access", Web.page(this::requestAccess));
    m.get("/partner/customers/:accountId/disconnect", Web.page(this::disconnectPage));
    m.post("/partner/customers/:accountId/disconnect", Web.page(this::disconnect));
    m.get("/partner/invites/new", Web.page(ctx -> invitePage(ctx, 200, Map.of(), null)));
    m.post("/partner/invites", Web.page(this::invite));
    m.post("/partner/invites/:inviteId/resend", Web.page(this::resend));
    m.post("/partner/invites/:inviteId/withdraw", Web.page(this::withdraw));
    m.get("/partner/badges", Web.page(this::badges));
    m.get("/partner/commission", Web.page(this::commission));
  }

  /** The signed-in partner user (a partner inside an account keeps its portal). */
  static Principal partner(RoutingContext ctx) {
    Principal p = Web.principal(ctx);
    if (p == null) {
      throw Problem.UNAUTHENTICATED.exception("Sign in to the partner portal first");
    }
    if (!p.isPartner()) {
      throw Problem.PARTNER_ONLY.exception("This is part of the partner portal; you are signed in to a customer account");
    }
    return p;
  }

  private Map<String, Object> base(RoutingContext ctx, String section, String title) {
    Principal p = partner(ctx);
    Map<String, Object> m = new HashMap<>();
    m.put("portal", true);
    m.put("section", section);
    m.put("title", title);
    m.put("partnerInside", p.isAccountScopedPartner());
    return m;
  }

  /** One line of the Customers page, with its words computed once (the page of 1,000 customers stays fast). */
  public record CustomerRow(String accountId, String businessName, String plan, boolean active, String originLabel,
                            String access, String accessLabel, String expiryText, boolean canLogIn,
                            boolean canRequest, boolean requested) {}

  static CustomerRow row(CustomerView c) {
    String origin = switch (c.origin()) {
      case "referral" -> "Referral link";
      case "created" -> "Added by you";
      default -> "Invite";
    };
    String expiry;
    boolean active = "active".equals(c.accountStatus());
    switch (c.access()) {
      case "enabled" -> {
        if (!c.clockStarted()) {
          expiry = "Expiry clock not started: " + c.jobCount() + "/" + c.jobThreshold() + " jobs";
        } else if (c.daysUntilExpiry() == null) {
          expiry = "Does not expire";
        } else {
          expiry = c.daysUntilExpiry() == 1 ? "Expires in 1 day" : "Expires in " + c.daysUntilExpiry() + " days";
        }
      }
      case "expired" -> expiry = c.expiresAt() == null ? "Expired" : "Expired on " + Web.day(c.expiresAt());
      default -> expiry = "Disabled by the customer";
    }
    boolean enabled = "enabled".equals(c.access());
    return new CustomerRow(c.accountId().toString(), c.businessName(), c.plan(), active, origin, c.access(),
        c.access().substring(0, 1).toUpperCase(Locale.ROOT) + c.access().substring(1),
        active ? expiry : "Account cancelled", enabled && active, !enabled && c.pendingRequestId() == null && active,
        !enabled && c.pendingRequestId() != null);
  }

  private Future<?> customers(RoutingContext ctx) {
    Principal p = partner(ctx);
    Map<String, Object> m = base(ctx, "customers", "Customers");
    return connections.customersOf(p.partnerId()).compose(list -> invites.ofPartner(p.partnerId()).compose(inv -> {
      List<CustomerRow> rows = new ArrayList<>(list.size());
      int enabled = 0;
      for (CustomerView c : list) {
        CustomerRow r = row(c);
        if (r.canLogIn()) {
          enabled++;
        }
        rows.add(r);
      }
      m.put("customers", rows);
      m.put("enabledCount", enabled);
      m.put("invites", pendingInvites(inv));
      return web.render(ctx, "customers", m);
    }));
  }

  private List<Map<String, Object>> pendingInvites(JsonArray all) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : all) {
      JsonObject i = (JsonObject) o;
      String status = i.getString("status");
      if (!"pending".equals(status) && !"expired".equals(status)) {
        continue;
      }
      Map<String, Object> r = new HashMap<>();
      r.put("id", i.getString("id"));
      r.put("to", i.getString("businessName") != null ? i.getString("businessName") : i.getString("email"));
      r.put("status", status);
      r.put("expires", Web.day(Instant.parse(i.getString("expiresAt"))));
      out.add(r);
    }
    return out;
  }

  private Future<?> addCustomerPage(RoutingContext ctx, int status, Map<String, String> values, String error) {
    Map<String, Object> m = base(ctx, "customers", "Add a customer");
    m.put("values", values);
    m.put("error", error == null ? "" : error);
    m.put("plans", plans.prices().keySet());
    return web.render(ctx, status, "add-customer", m);
  }

  /** R3b: the partner registers the account, optionally with the owner's email and password for handover. */
  private Future<?> addCustomer(RoutingContext ctx) {
    Principal p = partner(ctx);
    Form f = new Form(ctx);
    String business;
    String plan;
    String ownerName;
    String ownerEmail;
    String ownerPassword;
    try {
      business = f.required("businessName", "Business name");
      plan = plans.require(f.get("plan"));
      ownerName = f.get("ownerName");
      ownerEmail = f.email("ownerEmail", "Account owner email", false);
      ownerPassword = f.password("ownerPassword", "Account owner password", false);
      if (ownerEmail != null || ownerPassword != null || ownerName != null) {
        f.required("ownerName", "Account owner name");
        f.email("ownerEmail", "Account owner email", true);
        f.password("ownerPassword", "Account owner password", true);
      }
    } catch (DomainException e) {
      return addCustomerPage(ctx, 400, f.values(), e.getMessage());
    }
    return partnerApi.addCustomer(p, business, plan, ownerName, ownerEmail, ownerPassword)
        .compose(json -> web.redirect(ctx, "/partner/customers", "ok", "Added " + business + ". Your access is enabled: "
            + "use Log in." + (ownerEmail == null ? "" : " The owner can sign in as " + ownerEmail + " once you hand it over.")))
        .recover(Web.showAgain(de -> addCustomerPage(ctx, de.problem().status, f.values(), de.getMessage())));
  }

  private static UUID id(RoutingContext ctx, String name) {
    try {
      return UUID.fromString(ctx.pathParam(name));
    } catch (RuntimeException e) {
      throw Problem.NOT_FOUND.exception("There is no such page");
    }
  }

  /** R8: Log in opens the customer's account as the partner: the session becomes account-scoped. */
  private Future<?> logIn(RoutingContext ctx) {
    Principal p = partner(ctx);
    Principal portal = new Principal(p.userId(), Principal.Kind.PARTNER, null, null, p.partnerId(), p.name());
    UUID accountId = id(ctx, "accountId");
    return partnerApi.logIn(portal, accountId)
        .compose(json -> {
          web.signIn(ctx, new Principal(p.userId(), Principal.Kind.PARTNER, accountId, null, p.partnerId(), p.name()));
          return web.redirect(ctx, "/app", "ok", "You are logged in to " + json.getString("businessName") + " as a partner");
        })
        .recover(err -> err instanceof DomainException
            ? web.redirect(ctx, "/partner/customers", "error", Web.problemText(err))
            : Future.failedFuture(err));
  }

  /** R16: ask the customer for access; one pending request per connection. */
  private Future<?> requestAccess(RoutingContext ctx) {
    Principal p = partner(ctx);
    UUID accountId = id(ctx, "accountId");
    return connections.requestAccess(p.partnerId(), accountId, p.userId())
        .compose(r -> web.redirect(ctx, "/partner/customers", "ok", r.created()
            ? "Access requested. The customer sees your request in their account and can approve or deny it."
            : "You already requested access on " + Web.humanDates(r.requestedAt()) + "; the customer has not answered yet."))
        .recover(err -> err instanceof DomainException
            ? web.redirect(ctx, "/partner/customers", "error", Web.problemText(err))
            : Future.failedFuture(err));
  }

  private Future<?> disconnectPage(RoutingContext ctx) {
    Principal p = partner(ctx);
    UUID accountId = id(ctx, "accountId");
    return connections.customersOf(p.partnerId()).compose(list -> {
      CustomerView c = list.stream().filter(x -> x.accountId().equals(accountId)).findFirst()
          .orElseThrow(() -> Problem.NOT_CONNECTED.exception("You are not connected to this customer"));
      Map<String, Object> m = base(ctx, "customers", "Disconnect from " + c.businessName());
      m.put("business", c.businessName());
      m.put("accountId", accountId.toString());
      return web.render(ctx, "partner-disconnect", m);
    });
  }

  /** R18/R19: the partner disconnects itself from a customer. */
  private Future<?> disconnect(RoutingContext ctx) {
    Principal p = partner(ctx);
    UUID accountId = id(ctx, "accountId");
    String reason = new Form(ctx).get("reason");
    return connections.disconnect(accountId, p.partnerId(), false, reason, p.userId())
        .compose(change -> {
          return web.redirect(ctx, "/partner/customers", "ok",
              "You are disconnected. The customer has left your list and your revenue share from it has stopped.");
        })
        .recover(err -> err instanceof DomainException
            ? web.redirect(ctx, "/partner/customers", "error", Web.problemText(err))
            : Future.failedFuture(err));
  }

  private Future<?> invitePage(RoutingContext ctx, int status, Map<String, String> values, String error) {
    Map<String, Object> m = base(ctx, "customers", "Invite a customer");
    m.put("values", values);
    m.put("error", error == null ? "" : error);
    return web.render(ctx, status, "invite", m);
  }

  /** R1: a partner invites a customer by the owner's email (an existing account is found by it). */
  private Future<?> invite(RoutingContext ctx) {
    Principal p = partner(ctx);
    Form f = new Form(ctx);
    String email;
    try {
      email = f.email("email", "The customer's email", true);
    } catch (DomainException e) {
      return invitePage(ctx, 400, f.values(), e.getMessage());
    }
    return invites.create(p.partnerId(), null, email).compose(inviteMail::send)
        .compose(inv -> web.redirect(ctx, "/partner/customers#invites", "ok", "Invite sent to " + email
            + ". It is valid until " + Web.humanDates(inv.getString("expiresAt")) + "."))
        .recover(Web.showAgain(de -> invitePage(ctx, de.problem().status, f.values(), de.getMessage())));
  }

  private Future<?> resend(RoutingContext ctx) {
    Principal p = partner(ctx);
    return invites.resend(p.partnerId(), id(ctx, "inviteId")).compose(inviteMail::send)
        .compose(inv -> web.redirect(ctx, "/partner/customers#invites", "ok", "Invite sent again; it is valid until "
            + Web.humanDates(inv.getString("expiresAt")) + "."))
        .recover(err -> err instanceof DomainException
            ? web.redirect(ctx, "/partner/customers#invites", "error", Web.problemText(err))
            : Future.failedFuture(err));
  }

  private Future<?> withdraw(RoutingContext ctx) {
    Principal p = partner(ctx);
    return invites.withdraw(p.partnerId(), id(ctx, "inviteId"))
        .compose(v -> web.redirect(ctx, "/partner/customers#invites", "ok", "Invite withdrawn."))
        .recover(err -> err instanceof DomainException
            ? web.redirect(ctx, "/partner/customers#invites", "error", Web.problemText(err))
            : Future.failedFuture(err));
  }

  /** R22: the referral link (with a copy button), status credits and tier. */
  private Future<?> badges(RoutingContext ctx) {
    Principal p = partner(ctx);
    Map<String, Object> m = base(ctx, "badges", "Badges & Promotion");
    return identity.partner(p.partnerId()).compose(partner -> commission.credits(p.partnerId()).compose(credits -> {
      m.put("partnerName", partner.name());
      m.put("referralLink", identityApi.referralLink(partner.referralCode()));
      m.put("credits", credits.getInteger("credits"));
      m.put("connectedCustomers", credits.getInteger("connectedCustomers"));
      m.put("tier", credits.getString("tier"));
      m.put("nextTier", credits.getString("nextTier"));
      m.put("creditsToNextTier", credits.getInteger("creditsToNextTier"));
      return web.render(ctx, "badges", m);
    }));
  }

  /** One bar of the 12-month chart, laid out on the server (an SVG with no script and no inline style). */
  public record Bar(String label, String title, String amount, int x, int y, int height, boolean current) {}

  /** R21: the monthly statement and the totals of the last 12 months. */
  private Future<?> commission(RoutingContext ctx) {
    Principal p = partner(ctx);
    YearMonth now = YearMonth.from(clock.now().atOffset(ZoneOffset.UTC));
    YearMonth month;
    String asked = ctx.request().getParam("month");
    try {
      month = asked == null || asked.isBlank() ? now : YearMonth.parse(asked.strip());
    } catch (RuntimeException e) {
      throw Problem.VALIDATION_FAILED.exception("The month must look like 2026-03");
    }
    Map<String, Object> m = base(ctx, "commission", "Commission");
    return commission.statement(p.partnerId(), month).compose(s -> commission.history(p.partnerId(), 12).map(h -> {
      m.put("statement", s.getMap());
      m.put("lines", Web.rows(s.getJsonArray("lines")));
      m.put("month", month.toString());
      m.put("monthName", month.format(MONTH_LONG));
      m.put("previous", month.minusMonths(1).toString());
      m.put("next", month.isBefore(now) ? month.plusMonths(1).toString() : null);
      m.put("currency", currency);
      m.put("bars", bars(h, month));
      return m;
    })).compose(model -> web.render(ctx, "commission", model));
  }

  static final int CHART_HEIGHT = 160;
  static final int BAR_STEP = 50;

  static List<Bar> bars(JsonArray history, YearMonth selected) {
    BigDecimal max = BigDecimal.ZERO;
    for (Object o : history) {
      BigDecimal t = new BigDecimal(((JsonObject) o).getString("total"));
      if (t.compareTo(max) > 0) {
        max = t;
      }
    }
    List<Bar> bars = new ArrayList<>();
    int i = 0;
    for (Object o : history) {
      JsonObject j = (JsonObject) o;
      YearMonth ym = YearMonth.parse(j.getString("month"));
      BigDecimal t = new BigDecimal(j.getString("total"));
      int h = max.signum() == 0 ? 0 : t.multiply(BigDecimal.valueOf(CHART_HEIGHT))
          .divide(max, 0, java.math.RoundingMode.HALF_UP).intValue();
      h = t.signum() > 0 ? Math.max(h, 2) : 0;
      bars.add(new Bar(ym.format(MONTH), ym.format(MONTH_LONG) + ": " + t.toPlainString(), t.toPlainString(),
          10 + i * BAR_STEP, 20 + CHART_HEIGHT - h, h, ym.equals(selected)));
      i++;
    }
    return bars;
  }
}
