package com.partneraccess.web;

import com.partneraccess.authz.Principal;
import com.partneraccess.bus.DomainException;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A page behind an e-mailed one-time link where the person chooses a password (joining as invited staff,
 * R10; claiming an account a partner created, R25; joining a partner's team, R28; a password reset): GET shows the form
 * for the link's token, POST spends the link through a service, signs the user in and lands on its home ({@code /app},
 * a partner's Customers, or the page given); a refusal shows the form again.
 */
final class LinkPasswordPage {
  private final Web web;
  private final String template;
  private final String title;
  private final BiFunction<String, String, Future<Principal>> spend;
  private final Function<Principal, String> welcome;
  private final String landing;

  LinkPasswordPage(Web web, String template, String title, BiFunction<String, String, Future<Principal>> spend,
                   Function<Principal, String> welcome) {
    this(web, template, title, spend, welcome, null);
  }

  /** {@code landing}: where the new user lands, signed in (R28: a partner's teammate lands in its portal). */
  LinkPasswordPage(Web web, String template, String title, BiFunction<String, String, Future<Principal>> spend,
                   Function<Principal, String> welcome, String landing) {
    this.landing = landing;
    this.web = web;
    this.template = template;
    this.title = title;
    this.spend = spend;
    this.welcome = welcome;
  }

  void mount(PageRoutes.Mount m, String path) {
    m.get(path, Web.page(ctx -> form(ctx, 200, nz(ctx.request().getParam("token")), null)));
    m.post(path, Web.page(this::submit));
  }

  private Future<?> form(RoutingContext ctx, int status, String token, String error) {
    return web.render(ctx, status, template, Map.of("token", token, "error", nz(error), "title", title));
  }

  private Future<?> submit(RoutingContext ctx) {
    Form f = new Form(ctx);
    String token = nz(ctx.request().getFormAttribute("token"));
    String password;
    try {
      password = f.password("password", "Password", true);
    } catch (DomainException e) {
      return form(ctx, 400, token, e.getMessage());
    }
    return spend.apply(token, password)
        .compose(p -> {
          web.signIn(ctx, p);
          return web.redirect(ctx, landing != null ? landing : AuthPages.landing(p), "ok", welcome.apply(p));
        })
        .recover(Web.showAgain(de -> form(ctx, de.problem().status, token, de.getMessage())));
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
