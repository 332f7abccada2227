package com.partneraccess.web;

import com.partneraccess.bus.DomainException;
import com.partneraccess.commission.Plans;
import com.partneraccess.accounts.AccountService;
import com.partneraccess.identity.IdentityService;
import com.partneraccess.identity.IdentityRepository;
import com.partneraccess.authz.Principal;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.Map;

/** Sign up (customer, with the partner's referral code from {@code /signup?ref=CODE}; partner), sign in, sign out. */
final class AuthPages {
  private final Web web;
  private final IdentityService identityService;
  private final AccountService accounts;
  private final IdentityRepository identity;
  private final Plans plans;

  AuthPages(Web web, IdentityService identityService, AccountService accounts, IdentityRepository identity) {
    this.web = web;
    this.identityService = identityService;
    this.accounts = accounts;
    this.identity = identity;
    this.plans = accounts.plans();
  }

  void mount(PageRoutes.Mount m) {
    m.get("/", Web.page(this::home));
    m.get("/signin", Web.page(ctx -> {
      String next = safeNext(ctx.request().getParam("next"));
      return signInPage(ctx, 200, next == null ? Map.of() : Map.of("next", next), null);
    }));
    m.post("/signin", Web.page(this::signIn));
    m.post("/signout", Web.page(this::signOut));
    m.get("/signup", Web.page(ctx -> customerSignUpPage(ctx, 200, Map.of("ref", nz(ctx.request().getParam("ref"))), null)));
    m.post("/signup", Web.page(this::signUpCustomer));
    m.get("/partners/signup", Web.page(ctx -> partnerSignUpPage(ctx, 200, Map.of(), null)));
    m.post("/partners/signup", Web.page(this::signUpPartner));
    // R10: the page behind the e-mailed staff invitation link: choose a password and join
    new LinkPasswordPage(web, "staff-invite", "Join your team", accounts::joinStaff,
        p -> "Welcome, " + p.name() + ": you joined as " + p.role() + ".").mount(m, "/staff-invite");
  }

  private Future<?> home(RoutingContext ctx) {
    Principal p = Web.principal(ctx);
    return web.redirect(ctx, p == null ? "/signin" : landing(p));
  }

  /**
   * Where to go after signing in when a page sent the visitor to sign in first: a path of this site only (never
   * another host: no "//", no backslash, no scheme), else null.
   */
  static String safeNext(String next) {
    if (next == null || next.length() > 500 || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")
        || next.startsWith("/signin") || !next.matches("/[A-Za-z0-9/_.~%?=&#-]*")) {
      return null;
    }
    return next;
  }

  static String landing(Principal p) {
    return p.isPartner() && !p.isAccountScopedPartner() ? "/partner/customers" : "/app";
  }

  private Future<?> signInPage(RoutingContext ctx, int status, Map<String, String> values, String error) {
    return web.render(ctx, status, "signin", Map.of("values", values, "error", nz(error), "title", "Sign in"));
  }

  private Future<?> signIn(RoutingContext ctx) {
    Form f = new Form(ctx);
    String next = safeNext(f.get("next"));
    String email;
    String password;
    try {
      email = f.email("email", "Email", true);
      password = f.password("password", "Password", true);
    } catch (DomainException e) {
      return signInPage(ctx, 400, f.values(), e.getMessage());
    }
    String remote = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    return identityService.signIn(new IdentityService.SignIn(email, password, remote,
            ctx.request().getHeader("X-Forwarded-For")))
        .compose(p -> {
          web.signIn(ctx, p);
          return web.redirect(ctx, next != null ? next : landing(p), "ok", "Signed in as " + p.name());
        })
        .recover(Web.showAgain(de -> {
          if (de.retryAfterSeconds() > 0) {
            ctx.response().putHeader("Retry-After", Long.toString(de.retryAfterSeconds()));
          }
          return signInPage(ctx, de.problem().status, f.values(), de.getMessage());
        }));
  }

  private Future<?> signOut(RoutingContext ctx) {
    return web.signOut(ctx).compose(v -> web.redirect(ctx, "/signin", "ok", "You are signed out"));
  }

  private Future<?> customerSignUpPage(RoutingContext ctx, int status, Map<String, String> values, String error) {
    String ref = values.get("ref");
    return identity.partnerByReferralCode(ref).compose(partner -> {
      Map<String, Object> model = new HashMap<>();
      model.put("values", values);
      model.put("error", nz(error));
      model.put("plans", plans.prices().keySet());
      model.put("planPrices", plans.priceTexts());
      model.put("title", "Sign up");
      if (partner != null) {
        model.put("referrer", partner.name());
      } else if (ref != null && !ref.isBlank()) {
        model.put("badRef", true);
      }
      return web.render(ctx, status, "signup", model);
    });
  }

  /** R3a/R6: a customer signs up; through a referral link it joins that partner with access off. */
  private Future<?> signUpCustomer(RoutingContext ctx) {
    Form f = new Form(ctx);
    f.get("ref");
    String business;
    String name;
    String email;
    String password;
    String plan;
    try {
      business = f.required("businessName", "Business name");
      name = f.required("name", "Your name");
      email = f.email("email", "Email", true);
      password = f.password("password", "Password", true);
      plan = plans.require(f.get("plan"));
    } catch (DomainException e) {
      return customerSignUpPage(ctx, 400, f.values(), e.getMessage());
    }
    String ref = f.values().get("ref");
    return accounts.signUp(new AccountService.SignUp(business, name, email, password, plan, ref))
        .compose(s -> {
          web.signIn(ctx, s.owner());
          return web.redirect(ctx, "/app", "ok", "Welcome to your account, " + name + "."
              + (s.partnerId() == null ? "" : " You are connected to " + s.partnerName()
                  + "; their access stays off until you allow it in Account › Login details."));
        })
        .recover(Web.showAgain(de -> customerSignUpPage(ctx, de.problem().status, f.values(), de.getMessage())));
  }

  private Future<?> partnerSignUpPage(RoutingContext ctx, int status, Map<String, String> values, String error) {
    return web.render(ctx, status, "partner-signup", Map.of("values", values, "error", nz(error),
        "title", "Become a partner"));
  }

  private Future<?> signUpPartner(RoutingContext ctx) {
    Form f = new Form(ctx);
    String org;
    String name;
    String email;
    String password;
    try {
      org = f.required("organisation", "Organisation");
      name = f.required("name", "Your name");
      email = f.email("email", "Email", true);
      password = f.password("password", "Password", true);
    } catch (DomainException e) {
      return partnerSignUpPage(ctx, 400, f.values(), e.getMessage());
    }
    return identityService.signUpPartner(org, name, email, password)
        .compose(np -> {
          web.signIn(ctx, np.principal());
          return web.redirect(ctx, "/partner/customers", "ok", "Welcome, " + org + ". Add your first customer, "
              + "invite one, or share your referral link from Badges & Promotion.");
        })
        .recover(Web.showAgain(de -> partnerSignUpPage(ctx, de.problem().status, f.values(), de.getMessage())));
  }

  static String nz(String s) {
    return s == null ? "" : s;
  }
}
