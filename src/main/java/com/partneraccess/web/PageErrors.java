package com.partneraccess.web;

import com.partneraccess.bus.Problem;
import com.partneraccess.http.FailureHandler;
import com.partneraccess.authz.Principal;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Refusals and errors on pages, as an HTML page that says why in words and what to do next (the JSON
 * API keeps its problem+json). Signed-out visitors of a page that needs a session go to the sign-in page.
 */
final class PageErrors implements FailureHandler.PageRenderer {
  private static final Logger LOG = LoggerFactory.getLogger(PageErrors.class);
  private final Web web;
  private final InsideAccount inside;

  PageErrors(Web web, InsideAccount inside) {
    this.web = web;
    this.inside = inside;
  }

  @Override
  public boolean wants(RoutingContext ctx) {
    if (Boolean.TRUE.equals(ctx.get(Web.PAGE))) {
      return !ctx.request().path().endsWith(".json");
    }
    String path = ctx.request().path();
    String accept = ctx.request().getHeader("Accept");
    return !path.startsWith("/api/") && accept != null && accept.contains("text/html");
  }

  @Override
  public void render(RoutingContext ctx, Problem problem, String detail) {
    if ((problem == Problem.UNAUTHENTICATED || problem == Problem.TOKEN_INVALID)
        && ctx.request().method().name().equals("GET")) {
      // back to the page asked for once signed in (an e-mailed link to an invite, say)
      String uri = ctx.request().uri();
      web.redirect(ctx, AuthPages.safeNext(uri) == null ? "/signin"
          : "/signin?next=" + java.net.URLEncoder.encode(uri, java.nio.charset.StandardCharsets.UTF_8),
          "error", "Sign in to continue");
      return;
    }
    Principal p = Web.principal(ctx);
    // the signed-in navigation stays: a customer user's (or an admitted partner's) account, or the partner portal
    boolean needsInside = p != null && ctx.get("inside") == null && (p.isCustomer() || p.isAccountScopedPartner())
        && problem != Problem.ACCESS_DISABLED && problem != Problem.ACCESS_EXPIRED && problem != Problem.NOT_CONNECTED
        && problem != Problem.UNAVAILABLE && problem != Problem.INTERNAL;
    if (needsInside) {
      inside.resolve(ctx).onComplete(ar -> show(ctx, problem, detail, p));
    } else {
      show(ctx, problem, detail, p);
    }
  }

  private void show(RoutingContext ctx, Problem problem, String detail, Principal p) {
    Map<String, Object> model = new HashMap<>();
    model.put("status", problem.status);
    model.put("title", problem.title);
    model.put("detail", detail == null || detail.equals(problem.title) ? null : Web.humanDates(detail));
    model.put("reason", problem.name());
    model.put("words", words(problem));
    model.put("portal", p != null && p.isPartner() && !p.isAccountScopedPartner() ? Boolean.TRUE : null);
    model.put("inside", ctx.get("inside"));
    model.put("partnerInside", p != null && p.isAccountScopedPartner());
    model.put("accessRefused", problem == Problem.ACCESS_DISABLED || problem == Problem.ACCESS_EXPIRED
        || problem == Problem.NOT_CONNECTED || problem == Problem.ACCOUNT_CANCELLED);
    model.put("home", p == null ? "/signin" : p.isAccountScopedPartner() || p.isCustomer() ? "/app" : "/partner/customers");
    if (ctx.get(Web.CSRF) == null) {
      model.put("csrf", "");
    }
    if (ctx.response().headWritten()) {
      return;
    }
    web.render(ctx, problem.status, "errors/error", model).onFailure(err -> {
      LOG.error("Could not render the error page", err);
      if (!ctx.response().headWritten()) {
        ctx.response().setStatusCode(problem.status).putHeader("Content-Type", "text/plain; charset=utf-8")
            .end(problem.title + (detail == null ? "" : ": " + detail));
      }
    });
  }

  /** The refusal's reason in words for the heading; the code stays in small print under it. */
  static String words(Problem problem) {
    return switch (problem) {
      case OWNER_ONLY -> "Only the account owner can do this";
      case ROLE_FORBIDDEN -> "Your role does not allow this";
      case CUSTOMER_ONLY -> "Only the customer's own owner or admins can do this";
      case PARTNER_ONLY -> "This is part of the partner portal";
      case ACCOUNT_SCOPE_REQUIRED -> "Open a customer's account first";
      case ACCESS_DISABLED -> "The customer has turned your access off";
      case ACCESS_EXPIRED -> "Your access to this account expired";
      case NOT_CONNECTED -> "You are not connected to this account";
      case ACCOUNT_CANCELLED -> "This account is cancelled";
      case NOT_FOUND -> "There is nothing here";
      case FORBIDDEN -> "You may not do this";
      case TOO_MANY_ATTEMPTS -> "Too many attempts: wait a little and try again";
      case UNAVAILABLE -> "The service is busy or starting: try again in a moment";
      case INTERNAL -> "Something went wrong on our side";
      default -> problem.title;
    };
  }
}
