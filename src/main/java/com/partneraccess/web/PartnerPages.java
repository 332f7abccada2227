package com.partneraccess.web;

import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Principal;
import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import com.partneraccess.connections.ConnectionService;
import com.partneraccess.connections.CustomerQuery;
import com.partneraccess.connections.GrantLength;
import com.partneraccess.connections.CustomerView;
import com.partneraccess.invites.InviteService;
import com.partneraccess.partners.PartnerService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The partner portal: Customers (access, expiry, Log in / Request access, Add a customer, invites),
 * its invites. Badges & Promotion and Commission are in {@link PartnerProgrammePages}.
 * Over 400 lines because the Customers list (search, filters, counts, Needs attention, cursor links) and the
 * request-access form landed here in one round; the planned split moves the list into a CustomerListPage of its own.
 */
final class PartnerPages {

  private final Web web;
  private final PartnerService partners;
  private final ConnectionService connections;
  private final InviteService invites;

  PartnerPages(Web web, PartnerService partners, ConnectionService connections, InviteService invites) {
    this.web = web;
    this.partners = partners;
    this.connections = connections;
    this.invites = invites;
  }

  void mount(PageRoutes.Mount m) {
    m.get("/partner", ctx -> web.redirect(ctx, "/partner/customers"));
    m.get("/partner/customers", Web.page(this::customers));
    m.get("/partner/customers/new", Web.page(ctx -> addCustomerPage(ctx, 200, Map.of(), null)));
    m.post("/partner/customers/new", Web.page(this::addCustomer));
    m.post("/partner/customers/:accountId/login", Web.page(this::logIn));
    m.get("/partner/customers/:accountId/request-access", Web.page(ctx -> requestForm(ctx, 200, null, null, null)));
    m.post("/partner/customers/:accountId/request-access", Web.page(this::requestAccess));
    m.post("/partner/customers/:accountId/withdraw-request", Web.page(this::withdrawRequest));
    m.get("/partner/customers/:accountId/disconnect", Web.page(this::disconnectPage));
    m.post("/partner/customers/:accountId/disconnect", Web.page(this::disconnect));
    m.get("/partner/invites/new", Web.page(ctx -> invitePage(ctx, 200, Map.of(), null)));
    m.post("/partner/invites", Web.page(this::invite));
    m.post("/partner/invites/:inviteId/resend", Web.page(this::resend));
    m.post("/partner/invites/:inviteId/withdraw", Web.page(this::withdraw));
  }

  /** The signed-in partner user (a partner inside an account keeps its portal); the table says who may. */
  static Principal partner(RoutingContext ctx) {
    Principal p = Web.principal(ctx);
    Permissions.require(p, Operation.LIST_CUSTOMERS);
    return p;
  }

  /** The model every portal page starts from (section, title, whether the partner is inside an account). */
  static Map<String, Object> base(RoutingContext ctx, String section, String title) {
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
                            boolean canRequest, boolean requested, String ownerEmail, String lastAccessedAt,
                            String requestedOn) {}

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
        if (c.granted()) {
          expiry = "Granted for " + c.grantDays() + (c.grantDays() == 1 ? " day" : " days") + ": ends in "
              + (c.daysUntilExpiry() == 1 ? "1 day" : c.daysUntilExpiry() + " days");
        } else if (!c.clockStarted()) {
          expiry = "Expiry clock not started: " + c.jobCount() + "/" + c.jobThreshold() + " jobs";
        } else if (c.daysUntilExpiry() == null) {
          expiry = "Does not expire";
        } else {
          expiry = c.daysUntilExpiry() == 1 ? "Expires in 1 day" : "Expires in " + c.daysUntilExpiry() + " days";
        }
      }
      case "expired" -> expiry = (c.expiresAt() == null ? "Expired" : "Expired on " + Web.day(c.expiresAt()))
          + ": " + c.accessEndedReason();
      default -> expiry = c.neverEnabled() ? "Not enabled yet" : "Disabled by the customer";
    }
    boolean enabled = "enabled".equals(c.access());
    return new CustomerRow(c.accountId().toString(), c.businessName(), c.plan(), active, origin, c.access(),
        c.access().substring(0, 1).toUpperCase(Locale.ROOT) + c.access().substring(1),
        active ? expiry : "Account cancelled", c.canLogIn(), c.canRequestAccess(), c.requested(), c.ownerEmail(),
        c.lastAccessedAt() == null ? null : c.lastAccessedAt().toString(),
        c.pendingRequestAt() == null ? null : Web.day(c.pendingRequestAt()));
  }

  /** The "Needs attention" group on top of the first page shows at most this many (then: "Show all"). */
  static final int ATTENTION_SHOWN = 10;
  /** Open invites shown near the top of the page, a page at a time. */
  static final int INVITES_SHOWN = 10;

  /**
   * R4/R8: the Customers page: the same {@link ConnectionService#customers} as {@code GET /partner/customers}
   * (search, filter, sort, page size and cursor from the query string), its counts per filter, the open invites
   * near the top and, on the first page of the unfiltered list, the customers that need attention.
   */
  private Future<?> customers(RoutingContext ctx) {
    Principal p = partner(ctx);
    Map<String, Object> m = base(ctx, "customers", "Customers");
    ConnectionService.ListCustomers asked = new ConnectionService.ListCustomers(param(ctx, "q"), param(ctx, "filter"),
        param(ctx, "sort"), pageSize(ctx), param(ctx, "cursor"));
    return connections.customers(p, asked).compose(list -> {
      CustomerQuery q = list.query();
      // the group sits on the first page of the whole list; a search shows what it found (the tab still counts them)
      boolean attentionGroup = q.filter() == CustomerQuery.Filter.ALL && q.after() == null && q.search() == null
          && list.counts().attention() > 0;
      Future<ConnectionService.CustomerList> attention = attentionGroup
          ? connections.customersWithoutCounts(p, new ConnectionService.ListCustomers(q.search(), "attention", "expiry",
              ATTENTION_SHOWN, null))
          : Future.succeededFuture(null);
      Future<com.partneraccess.invites.InviteRepository.Page> open = invites.ofPartner(p,
          new InviteService.PartnerInvites("open", INVITES_SHOWN, param(ctx, "invitesCursor")));
      Future<java.util.Set<UUID>> awaiting = partners.awaitingHandover(p);
      return Future.all(attention, open, awaiting).compose(all -> {
        m.put("customers", list.customers().stream().map(PartnerPages::row).toList());
        m.put("attention", attention.result() == null ? List.of()
            : attention.result().customers().stream().map(PartnerPages::row).toList());
        m.put("list", listModel(list));
        m.put("invites", pendingInvites(open.result().invites()));
        m.put("invitesNext", open.result().nextCursor() == null ? null
            : "/partner/customers?invitesCursor=" + Web.enc(open.result().nextCursor()) + "#invites");
        m.put("handover", awaiting.result().stream().map(UUID::toString).toList());
        return web.render(ctx, "customers", m);
      });
    });
  }

  private static String param(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null || v.isBlank() ? null : v;
  }

  /** The page's size selector: a whole number, else the service's own refusal (400 with the reason). */
  private static Integer pageSize(RoutingContext ctx) {
    String v = param(ctx, "limit");
    if (v == null) {
      return null;
    }
    try {
      return Integer.valueOf(v.strip());
    } catch (NumberFormatException e) {
      throw Problem.VALIDATION_FAILED.exception("limit must be a whole number");
    }
  }

  /** The search form, filter tabs with counts, sort and page-size choices, and the links to other pages. */
  private static Map<String, Object> listModel(ConnectionService.CustomerList list) {
    CustomerQuery q = list.query();
    Map<String, Object> m = new HashMap<>();
    m.put("search", q.search() == null ? "" : q.search());
    m.put("filter", q.filter().param());
    m.put("filterLabel", q.filter().label());
    m.put("sort", q.sort().param());
    m.put("limit", q.limit());
    m.put("sizes", CustomerQuery.PAGE_SIZES);
    m.put("shown", list.customers().size());
    m.put("total", list.counts().text(q.filter()));
    m.put("all", list.counts().all());
    m.put("allText", list.counts().text(CustomerQuery.Filter.ALL));
    m.put("attentionCount", list.counts().attention());
    m.put("withAccess", list.counts().text(CustomerQuery.Filter.ENABLED));
    m.put("capped", list.counts().capped());
    m.put("counted", CustomerQuery.SEARCH_COUNTED);
    List<Map<String, Object>> filters = new ArrayList<>();
    for (CustomerQuery.Filter f : CustomerQuery.Filter.values()) {
      filters.add(Map.of("param", f.param(), "label", f.label(), "count", list.counts().text(f),
          "current", f == q.filter(), "href", listHref(q.search(), f.param(), q.sort().param(), q.limit(), null)));
    }
    m.put("filters", filters);
    List<Map<String, Object>> sorts = new ArrayList<>();
    for (CustomerQuery.Sort s : CustomerQuery.Sort.values()) {
      sorts.add(Map.of("param", s.param(), "label", s.label(), "current", s == q.sort()));
    }
    m.put("sorts", sorts);
    m.put("next", list.nextCursor() == null ? null
        : listHref(q.search(), q.filter().param(), q.sort().param(), q.limit(), list.nextCursor()));
    m.put("first", q.after() == null ? null : listHref(q.search(), q.filter().param(), q.sort().param(), q.limit(), null));
    m.put("attentionHref", listHref(q.search(), "attention", "expiry", q.limit(), null));
    return m;
  }

  /** The open invites (pending, or expired and not yet resent or withdrawn) as the page lists them. */
  private static List<Map<String, Object>> pendingInvites(JsonArray open) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : open) {
      JsonObject i = (JsonObject) o;
      Map<String, Object> r = new HashMap<>();
      r.put("id", i.getString("id"));
      // what the partner gave: the address, or the account id (never the account's name or owner before acceptance)
      r.put("to", i.getString("email") != null ? i.getString("email") : "Account " + i.getString("accountId"));
      r.put("status", i.getString("status"));
      r.put("expiresAt", i.getString("expiresAt"));
      r.put("expires", Web.day(Instant.parse(i.getString("expiresAt"))));
      out.add(r);
    }
    return out;
  }

  static String listHref(String search, String filter, String sort, int limit, String cursor) {
    StringBuilder b = new StringBuilder("/partner/customers?");
    if (search != null) {
      b.append("q=").append(Web.enc(search)).append('&');
    }
    b.append("filter=").append(filter).append("&sort=").append(sort).append("&limit=").append(limit);
    if (cursor != null) {
      b.append("&cursor=").append(Web.enc(cursor));
    }
    return b.toString();
  }

  private Future<?> addCustomerPage(RoutingContext ctx, int status, Map<String, String> values, String error) {
    Map<String, Object> m = base(ctx, "customers", "Add a customer");
    m.put("values", values);
    m.put("error", error == null ? "" : error);
    m.put("plans", partners.plans().prices().keySet());
    m.put("planPrices", partners.plans().priceTexts());
    return web.render(ctx, status, "add-customer", m);
  }

  /** R3b/R25: the partner registers the account, optionally naming the owner, who is e-mailed a claim link. */
  private Future<?> addCustomer(RoutingContext ctx) {
    Principal p = partner(ctx);
    Form f = new Form(ctx).field("businessName", "Business name").field("ownerName", "Account owner name")
        .field("ownerEmail", "Account owner email");
    String business = f.get("businessName");
    String ownerEmail = f.get("ownerEmail");
    PartnerService.Owner owner = new PartnerService.Owner(f.get("ownerName"), ownerEmail,
        ctx.request().getFormAttribute("ownerPassword"));
    return partners.addCustomer(p, new PartnerService.AddCustomer(business, f.get("plan"), owner))
        .compose(c -> web.redirect(ctx, "/partner/customers", "ok", "Added " + c.businessName()
            + ". Your access is enabled: use Log in."
            + (c.claim() == null ? " Hand it over from this page when it is set up."
                : c.claim().emailSent() ? " We emailed " + c.claim().email() + " a link to claim it and choose a password."
                : " The email to " + c.claim().email() + " could not be sent; hand it over again later.")))
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
    Principal portal = p.unscoped();
    UUID accountId = id(ctx, "accountId");
    return partners.logIn(portal, accountId)
        .compose(session -> {
          web.signIn(ctx, p.scopedTo(accountId));
          return web.redirect(ctx, "/app", "ok", "You are logged in to " + session.businessName() + " as a partner");
        })
        .recover(err -> err instanceof DomainException
            ? web.redirect(ctx, "/partner/customers", "error", Web.problemText(err))
            : Future.failedFuture(err));
  }

  /** R29: the request form: a reason (required) and the length asked for. */
  private Future<?> requestForm(RoutingContext ctx, int status, String reason, String length, String error) {
    Principal p = partner(ctx);
    UUID accountId = id(ctx, "accountId");
    return connections.customerToAsk(p, accountId).compose(c -> {
      Map<String, Object> m = base(ctx, "customers", "Request access to " + c.businessName());
      m.put("business", c.businessName());
      m.put("canRequest", c.canRequestAccess());
      m.put("why", c.canRequestAccess() ? "" : c.canLogIn() ? "Your access is enabled: use Log in on the Customers page."
          : c.requested() ? "You already asked; the customer has not answered yet."
          : "This account is cancelled; there is nothing to request access to.");
      m.put("accountId", accountId.toString());
      m.put("reason", reason == null ? "" : reason);
      m.put("length", length == null ? GrantLength.UNTIL_RULE.code : length);
      m.put("lengths", lengthChoices());
      m.put("error", error == null ? "" : error);
      return web.render(ctx, status, "request-access", m);
    });
  }

  /** The lengths a form offers (R29), in order, with their words. */
  static List<Map<String, String>> lengthChoices() {
    List<Map<String, String>> out = new ArrayList<>();
    for (GrantLength g : GrantLength.values()) {
      out.add(Map.of("code", g.code, "label", g.days == null ? "Until the 60-day rule ends it"
          : g.days == 1 ? "1 day" : g.days + " days"));
    }
    return out;
  }

  /** R16/R29: ask the customer for access, with a reason and a length; one pending request per connection. */
  private Future<?> requestAccess(RoutingContext ctx) {
    Principal p = partner(ctx);
    UUID accountId = id(ctx, "accountId");
    Form form = new Form(ctx);
    String reason = form.get("reason");
    String length = form.get("length");
    return Web.orShowAgain(() -> connections.requestAccess(p, accountId, new ConnectionService.AskAccess(reason, length)),
            de -> requestForm(ctx, de.problem().status, reason, length, de.getMessage()),
            r -> web.redirect(ctx, "/partner/customers", "ok", r.created()
                ? "Access requested. The customer sees your request and your reason in their account and can approve or deny it."
                : "You already requested access on " + Web.humanDates(r.requestedAt()) + "; the customer has not answered yet."))
        .recover(err -> err instanceof DomainException
            ? web.redirect(ctx, "/partner/customers", "error", Web.problemText(err))
            : Future.failedFuture(err));
  }

  /** R16: the partner takes back its pending access request. */
  private Future<?> withdrawRequest(RoutingContext ctx) {
    Principal p = partner(ctx);
    return connections.withdrawRequest(p, id(ctx, "accountId"))
        .compose(w -> web.redirect(ctx, "/partner/customers", "ok", "You withdrew your access request to "
            + w.businessName() + ". You can request access again at any time."))
        .recover(err -> err instanceof DomainException
            ? web.redirect(ctx, "/partner/customers", "error", Web.problemText(err))
            : Future.failedFuture(err));
  }

  private Future<?> disconnectPage(RoutingContext ctx) {
    return disconnectForm(ctx, 200, null, null);
  }

  private Future<?> disconnectForm(RoutingContext ctx, int status, String reason, String error) {
    Principal p = partner(ctx);
    UUID accountId = id(ctx, "accountId");
    return connections.customer(p, accountId).compose(c -> {
      Map<String, Object> m = base(ctx, "customers", "Disconnect from " + c.businessName());
      m.put("business", c.businessName());
      m.put("accountId", accountId.toString());
      m.put("reason", reason == null ? "" : reason);
      m.put("error", error == null ? "" : error);
      return web.render(ctx, status, "partner-disconnect", m);
    });
  }

  /** R18/R19: the partner disconnects itself from a customer (a reason over 500 characters is refused). */
  private Future<?> disconnect(RoutingContext ctx) {
    Principal p = partner(ctx);
    UUID accountId = id(ctx, "accountId");
    String reason = new Form(ctx).get("reason");
    return Web.orShowAgain(() -> connections.disconnectFromCustomer(p, accountId, reason),
            de -> disconnectForm(ctx, de.problem().status, reason, de.getMessage()),
            change -> web.redirect(ctx, "/partner/customers", "danger",
                "You are disconnected. The customer has left your list and your revenue share from it has stopped."))
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
    Form f = new Form(ctx).field("email", "customer's email");
    String email = f.get("email");
    if (email == null) {
      return invitePage(ctx, 400, f.values(), "The customer's email is required");
    }
    return invites.create(p, new InviteService.CreateInvite(null, email))
        .compose(sent -> web.redirect(ctx, "/partner/customers#invites", "ok", (!sent.resent()
            ? "Invite sent to " + email
            : sent.hadExpired() ? "Your earlier invite to " + email + " had expired, so we sent that same invite again"
            : "You had already invited " + email + ", so we sent that invite again instead of making a second one")
            + ". It is valid until " + Web.humanDates(sent.invite().getString("expiresAt")) + "."))
        .recover(Web.showAgain(de -> invitePage(ctx, de.problem().status, f.values(), de.getMessage())));
  }

  private Future<?> resend(RoutingContext ctx) {
    Principal p = partner(ctx);
    return invites.resend(p, id(ctx, "inviteId"))
        .compose(inv -> web.redirect(ctx, "/partner/customers#invites", "ok", "Invite sent again; it is valid until "
            + Web.humanDates(inv.getString("expiresAt")) + "."))
        .recover(err -> err instanceof DomainException
            ? web.redirect(ctx, "/partner/customers#invites", "error", Web.problemText(err))
            : Future.failedFuture(err));
  }

  private Future<?> withdraw(RoutingContext ctx) {
    Principal p = partner(ctx);
    return invites.withdraw(p, id(ctx, "inviteId"))
        .compose(v -> web.redirect(ctx, "/partner/customers#invites", "ok", "Invite withdrawn."))
        .recover(err -> err instanceof DomainException
            ? web.redirect(ctx, "/partner/customers#invites", "error", Web.problemText(err))
            : Future.failedFuture(err));
  }
}
