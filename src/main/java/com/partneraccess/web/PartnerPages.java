package com.partneraccess.web;

import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Principal;
import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import com.partneraccess.connections.AccessRequestService;
import com.partneraccess.connections.ConnectionService;
import com.partneraccess.connections.GrantLength;
import com.partneraccess.invites.InviteService;
import com.partneraccess.partners.PartnerService;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The partner portal's actions on its customers: Add a customer, Log in, Request access and its withdrawal,
 * Disconnect, and its invites. The Customers list itself is {@link CustomerListPage}; Badges & Promotion and
 * Commission are in {@link PartnerProgrammePages}.
 */
final class PartnerPages {

  private final Web web;
  private final PartnerService partners;
  private final ConnectionService connections;
  private final AccessRequestService requests;
  private final InviteService invites;

  PartnerPages(Web web, PartnerService partners, ConnectionService connections, AccessRequestService requests,
               InviteService invites) {
    this.web = web;
    this.partners = partners;
    this.connections = connections;
    this.requests = requests;
    this.invites = invites;
  }

  void mount(PageRoutes.Mount m) {
    m.get("/partner", ctx -> web.redirect(ctx, "/partner/customers"));
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
    return requests.customerToAsk(p, accountId).compose(c -> {
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
    return Web.orShowAgain(() -> requests.requestAccess(p, accountId, new AccessRequestService.AskAccess(reason, length)),
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
    return requests.withdrawRequest(p, id(ctx, "accountId"))
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
