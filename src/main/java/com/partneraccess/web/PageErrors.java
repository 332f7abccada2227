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

  PageErrors(Web web) {
    this.web = web;
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
      web.redirect(ctx, "/signin", "error", "Sign in to continue");
      return;
    }
    Principal p = Web.principal(ctx);
    Map<String, Object> model = new HashMap<>();
    model.put("status", problem.status);
    model.put("title", problem.title);
    model.put("detail", detail == null || detail.equals(problem.title) ? null : Web.humanDates(detail));
    model.put("reason", problem.name());
    model.put("inside", ctx.get("inside"));
    model.put("partnerInside", p != null && p.isAccountScopedPartner());
    model.put("accessRefused", problem == Problem.ACCESS_DISABLED || problem == Problem.ACCESS_EXPIRED
        || problem == Problem.NOT_CONNECTED || problem == Problem.ACCOUNT_CANCELLED);
    model.put("home", p == null ? "/signin" : p.isAccountScopedPartner() || p.isCustomer() ? "/app" : "/partner/customers");
    if (ctx.get(Web.CSRF) == null) {
      model.put("csrf", "");
    }
    web.render(ctx, problem.status, "errors/error", model).onFailure(err -> {
      LOG.error("Could not render the error page", err);
      if (!ctx.response().headWritten()) {
        ctx.response().setStatusCode(problem.status).putHeader("Content-Type", "text/plain; charset=utf-8")
            .end(problem.title + (detail == null ? "" : ": " + detail));
      }
    });
  }
}
