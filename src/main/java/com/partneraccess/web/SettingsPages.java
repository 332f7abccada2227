package com.partneraccess.web;

import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Problem;
import com.partneraccess.identity.RecoveryService;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.Map;

/**
 * Forgot password ({@code /forgot-password}, the e-mailed {@code /reset-password} link), every signed-in user's own
 * settings ({@code /settings}: name, e-mail confirmed by a link to {@code /confirm-email}, password; a partner's
 * organisation name) and the account's Settings index ({@code /app/settings}) that groups Login details and the
 * owner-only pages. Thin: parse, call {@link RecoveryService}, render or redirect with a sentence.
 */
final class SettingsPages {
  private final Web web;
  private final InsideAccount inside;
  private final RecoveryService recovery;

  SettingsPages(Web web, InsideAccount inside, RecoveryService recovery) {
    this.web = web;
    this.inside = inside;
    this.recovery = recovery;
  }

  void mount(PageRoutes.Mount m) {
    m.get("/forgot-password", Web.page(ctx -> forgotPage(ctx, 200, Map.of(), null)));
    m.post("/forgot-password", Web.page(this::forgot));
    new LinkPasswordPage(web, "reset-password", "Choose a new password", recovery::resetPassword,
        p -> "Your password is changed, " + p.name() + ". Every other session of yours has ended.")
        .mount(m, "/reset-password");
    m.get("/settings", Web.page(ctx -> settingsPage(ctx, 200, Map.of(), null)));
    m.post("/settings/name", Web.page(this::changeName));
    m.post("/settings/email", Web.page(this::changeEmail));
    m.post("/settings/password", Web.page(this::changePassword));
    m.post("/settings/organisation", Web.page(this::changeOrganisation));
    m.get("/confirm-email", Web.page(ctx -> confirmPage(ctx, 200, nz(ctx.request().getParam("token")), null)));
    m.post("/confirm-email", Web.page(this::confirmEmail));
    m.get("/app/settings", inside.page((ctx, in) -> web.render(ctx, "settings-index",
        InsideAccount.base(in, "settings", "Settings"))));
  }

  // ---- forgot password -------------------------------------------------------------------------------------

  private Future<?> forgotPage(RoutingContext ctx, int status, Map<String, String> values, String error) {
    return web.render(ctx, status, "forgot-password", Map.of("values", values, "error", nz(error),
        "title", "Forgot your password?"));
  }

  /** The same answer whether or not the e-mail has an account (identity/RecoveryService). */
  private Future<?> forgot(RoutingContext ctx) {
    Form f = new Form(ctx).field("email", "Email");
    String email = f.get("email");
    String remote = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    return Web.orShowAgain(() -> recovery.requestReset(email, remote),
            de -> forgotPage(ctx, de.problem().status, f.values(), de.getMessage()),
            answer -> web.redirect(ctx, "/signin", "ok", answer))
        .recover(Web.showAgain(de -> {
          if (de.retryAfterSeconds() > 0) {
            ctx.response().putHeader("Retry-After", Long.toString(de.retryAfterSeconds()));
          }
          return forgotPage(ctx, de.problem().status, f.values(), de.getMessage());
        }));
  }

  // ---- settings --------------------------------------------------------------------------------------------

  /** The page's model: who is inside an account (its navigation), or the partner portal's. */
  private Future<Map<String, Object>> base(RoutingContext ctx, String title) {
    Principal p = Web.principal(ctx);
    if (p == null) {
      return Future.failedFuture(Problem.UNAUTHENTICATED.exception("Sign in first"));
    }
    if (p.isPartner() && !p.isAccountScopedPartner()) {
      Map<String, Object> m = new HashMap<>();
      m.put("portal", true);
      m.put("section", "settings");
      m.put("title", title);
      return Future.succeededFuture(m);
    }
    return inside.resolve(ctx).map(in -> InsideAccount.base(in, "settings", title));
  }

  private Future<?> settingsPage(RoutingContext ctx, int status, Map<String, String> values, String error) {
    return base(ctx, "Your settings").compose(m -> recovery.settings(Web.principal(ctx)).compose(s -> {
      m.put("settings", s);
      m.put("values", values);
      m.put("error", nz(error));
      return web.render(ctx, status, "settings", m);
    }));
  }

  private Future<?> changeName(RoutingContext ctx) {
    Form f = new Form(ctx).field("name", "Your name");
    String name = f.get("name");
    return Web.orShowAgain(() -> recovery.changeName(Web.principal(ctx), name),
        de -> settingsPage(ctx, de.problem().status, f.values(), de.getMessage()),
        p -> {
          web.signIn(ctx, p); // the session carries the name the header shows
          return web.redirect(ctx, "/settings", "ok", "Your name is now " + p.name() + ".");
        });
  }

  private Future<?> changeEmail(RoutingContext ctx) {
    Form f = new Form(ctx).field("email", "New email").field("email-current", "Current password");
    String email = f.get("email");
    String current = ctx.request().getFormAttribute("currentPassword");
    return Web.orShowAgain(() -> recovery.changeEmail(Web.principal(ctx), email, current),
            de -> settingsPage(ctx, de.problem().status, f.values(), de.getMessage()),
            sent -> web.redirect(ctx, "/settings", sent.emailSent() ? "ok" : "error", sent.emailSent()
                ? "We sent a link to " + sent.email() + ". Your email changes when you follow it (until "
                    + Web.humanDates(sent.expiresAt()) + "); until then you sign in as before."
                : "The email to " + sent.email() + " could not be sent; your email is unchanged. Try again later."))
        .recover(Web.showAgain(de -> settingsPage(ctx, de.problem().status, f.values(), de.getMessage())));
  }

  private Future<?> changePassword(RoutingContext ctx) {
    Form f = new Form(ctx).field("currentPassword", "Current password").field("password", "New password");
    String current = ctx.request().getFormAttribute("currentPassword");
    String password = ctx.request().getFormAttribute("password");
    return Web.orShowAgain(() -> recovery.changePassword(Web.principal(ctx), current, password),
        de -> settingsPage(ctx, de.problem().status, f.values(), de.getMessage()),
        p -> {
          web.signIn(ctx, p); // every session ended, this one starts again
          return web.redirect(ctx, "/settings", "ok", "Your password is changed. You are signed out everywhere else.");
        });
  }

  private Future<?> changeOrganisation(RoutingContext ctx) {
    Form f = new Form(ctx).field("organisation", "Organisation");
    String name = f.get("organisation");
    return Web.orShowAgain(() -> recovery.changeOrganisation(Web.principal(ctx), name),
        de -> settingsPage(ctx, de.problem().status, f.values(), de.getMessage()),
        n -> web.redirect(ctx, "/settings", "ok", "Your organisation is now called " + n + "."));
  }

  // ---- confirming a new e-mail -------------------------------------------------------------------------------

  private Future<?> confirmPage(RoutingContext ctx, int status, String token, String error) {
    return web.render(ctx, status, "confirm-email", Map.of("token", token, "error", nz(error),
        "title", "Confirm your new email"));
  }

  /** No session needed: the link may be opened on another device; signed in, it lands on the settings. */
  private Future<?> confirmEmail(RoutingContext ctx) {
    String token = nz(ctx.request().getFormAttribute("token"));
    Principal p = Web.principal(ctx);
    return recovery.confirmEmail(token)
        .compose(c -> web.redirect(ctx, p != null && p.userId().equals(c.userId()) ? "/settings" : "/signin", "ok",
            "Your email is now " + c.email() + ": sign in with it from now on."))
        .recover(Web.showAgain(de -> confirmPage(ctx, de.problem().status, token, Web.humanDates(de.getMessage()))));
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
