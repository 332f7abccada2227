package com.partneraccess.web;

import com.partneraccess.accounts.AccountService;
import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Problem;
import com.partneraccess.connections.ConnectionService;
import com.partneraccess.partners.PartnerService;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.UUID;

/**
 * R25: the handover of an account a partner created. The partner names the owner on its Customers page
 * ({@code /partner/customers/:id/handover}); the owner opens the e-mailed link ({@code /claim?token=}) and sets
 * its own password. Thin: parse, call the feature service, render or redirect.
 */
final class HandoverPages {
  private final Web web;
  private final PartnerService partners;
  private final ConnectionService connections;
  private final AccountService accounts;

  HandoverPages(Web web, PartnerService partners, ConnectionService connections, AccountService accounts) {
    this.web = web;
    this.partners = partners;
    this.connections = connections;
    this.accounts = accounts;
  }

  void mount(PageRoutes.Mount m) {
    m.get("/partner/customers/:accountId/handover", Web.page(ctx -> handoverPage(ctx, 200, Map.of(), null)));
    m.post("/partner/customers/:accountId/handover", Web.page(this::handOver));
    // R25: the owner sets its own password from the e-mailed link and becomes the owner, signed in
    new LinkPasswordPage(web, "claim", "Claim your account", accounts::claimAccount,
        p -> "Welcome, " + p.name() + ": you are the owner of this account now.").mount(m, "/claim");
  }

  private Future<?> handoverPage(RoutingContext ctx, int status, Map<String, String> values, String error) {
    Principal p = PartnerPages.partner(ctx);
    UUID accountId = id(ctx);
    return connections.customer(p, accountId).compose(c -> {
      Map<String, Object> m = PartnerPages.base(ctx, "customers", "Hand over " + c.businessName());
      m.put("business", c.businessName());
      m.put("accountId", accountId.toString());
      m.put("values", values);
      m.put("error", error == null ? "" : error);
      return web.render(ctx, status, "handover", m);
    });
  }

  /** R25: e-mails the owner a link to claim the account; a password is never asked for here. */
  private Future<?> handOver(RoutingContext ctx) {
    Principal p = PartnerPages.partner(ctx);
    UUID accountId = id(ctx);
    Form f = new Form(ctx);
    return partners.handOver(p, accountId, new PartnerService.Owner(f.get("ownerName"), f.get("ownerEmail"),
            ctx.request().getFormAttribute("ownerPassword")))
        .compose(sent -> web.redirect(ctx, "/partner/customers", sent.emailSent() ? "ok" : "error", sent.emailSent()
            ? "We emailed " + sent.email() + " a link to claim the account and choose a password; it is valid until "
                + Web.humanDates(sent.expiresAt()) + "."
            : "The link for " + sent.email() + " is ready, but the email could not be sent; try the handover again later."))
        .recover(Web.showAgain(de -> handoverPage(ctx, de.problem().status, f.values(), de.getMessage())));
  }

  private static UUID id(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("accountId"));
    } catch (RuntimeException e) {
      throw Problem.NOT_FOUND.exception("There is no such page");
    }
  }
}
