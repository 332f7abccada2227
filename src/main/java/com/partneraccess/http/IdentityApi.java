package com.partneraccess.http;

import com.partneraccess.accounts.AccountService;
import com.partneraccess.authz.Principal;
import com.partneraccess.identity.IdentityService;
import com.partneraccess.identity.TokenService;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/** The JSON adapter of signing up, signing in and out, and joining as invited staff: parse, service, JSON. */
public final class IdentityApi {
  private final IdentityService identity;
  private final AccountService accounts;
  private final TokenService tokens;

  public IdentityApi(IdentityService identity, AccountService accounts, TokenService tokens) {
    this.identity = identity;
    this.accounts = accounts;
    this.tokens = tokens;
  }

  public void mount(RouterBuilder rb) {
    rb.getRoute("signUpCustomer").addHandler(Api.handle(ctx -> {
      JsonObject b = Api.body(ctx);
      return accounts.signUp(new AccountService.SignUp(b.getString("businessName"), b.getString("name"),
              b.getString("email"), b.getString("password"), b.getString("plan"), b.getString("referralCode")))
          .compose(s -> Api.created(ctx, new JsonObject().put("accountId", s.accountId().toString())
              .put("userId", s.userId().toString()).put("token", tokens.issue(s.owner()))
              .put("expiresIn", tokens.tokenSeconds())
              .put("partner", s.partnerId() == null ? null : new JsonObject().put("id", s.partnerId().toString())
                  .put("name", s.partnerName()).put("access", "disabled"))));
    }));
    rb.getRoute("signUpPartner").addHandler(Api.handle(ctx -> {
      JsonObject b = Api.body(ctx);
      return identity.signUpPartner(b.getString("organisation"), b.getString("name"), b.getString("email"),
              b.getString("password"))
          .compose(np -> Api.created(ctx, new JsonObject().put("partnerId", np.partnerId().toString())
              .put("userId", np.userId().toString()).put("referralCode", np.referralCode())
              .put("referralLink", np.referralLink()).put("token", tokens.issue(np.principal()))
              .put("expiresIn", tokens.tokenSeconds())));
    }));
    rb.getRoute("issueToken").addHandler(Api.handle(ctx -> {
      JsonObject b = Api.body(ctx);
      return identity.signIn(new IdentityService.SignIn(b.getString("email"), b.getString("password"),
              remote(ctx), ctx.request().getHeader("X-Forwarded-For")))
          .compose(p -> Api.ok(ctx, token(p)));
    }));
    rb.getRoute("revokeToken").addHandler(Api.handle(ctx -> {
      Api.requireSignedIn(ctx);
      String token = ctx.request().getHeader("Authorization").substring(7).trim();
      return identity.signOut(token).compose(v -> Api.ok(ctx, new JsonObject().put("signedOut", true)));
    }));
    rb.getRoute("acceptStaffInvite").addHandler(Api.handle(ctx -> {
      JsonObject b = Api.body(ctx);
      return accounts.joinStaff(b.getString("token"), b.getString("password"))
          .compose(p -> Api.created(ctx, new JsonObject().put("userId", p.userId().toString())
              .put("accountId", p.accountId().toString()).put("role", p.role()).put("token", tokens.issue(p))
              .put("expiresIn", tokens.tokenSeconds())));
    }));
    rb.getRoute("claimAccount").addHandler(Api.handle(ctx -> {
      JsonObject b = Api.body(ctx);
      return accounts.claimAccount(b.getString("token"), b.getString("password"))
          .compose(p -> Api.created(ctx, new JsonObject().put("userId", p.userId().toString())
              .put("accountId", p.accountId().toString()).put("role", p.role()).put("token", tokens.issue(p))
              .put("expiresIn", tokens.tokenSeconds())));
    }));
  }

  static String remote(io.vertx.ext.web.RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
  }

  private JsonObject token(Principal p) {
    return new JsonObject().put("token", tokens.issue(p)).put("tokenType", "Bearer")
        .put("expiresIn", tokens.tokenSeconds()).put("kind", p.isPartner() ? "partner" : "customer")
        .put("accountId", p.accountId() == null ? null : p.accountId().toString())
        .put("partnerId", p.partnerId() == null ? null : p.partnerId().toString())
        .put("role", p.role());
  }
}
