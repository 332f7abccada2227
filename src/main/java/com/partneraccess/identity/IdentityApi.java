package com.partneraccess.identity;

import com.partneraccess.accounts.AccountRepository;
import com.partneraccess.accounts.StaffInviteRepository;
import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import com.partneraccess.http.Api;
import com.partneraccess.http.Plans;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.sqlclient.Pool;

/** Sign-up of customers (R3a) and partner organisations, and sign-in returning a JWT. */
public final class IdentityApi {
  private final IdentityRepository identity;
  private final AccountRepository accounts;
  private final PasswordHasher hasher;
  private final TokenService tokens;
  private final Plans plans;
  private final String publicUrl;
  private final StaffInviteRepository staffInvites;
  private final SignInThrottle throttle;
  private final Pool pool;

  public IdentityApi(IdentityRepository identity, AccountRepository accounts, PasswordHasher hasher,
                     TokenService tokens, Plans plans, String publicUrl, StaffInviteRepository staffInvites,
                     SignInThrottle throttle, Pool pool) {
    this.identity = identity;
    this.accounts = accounts;
    this.hasher = hasher;
    this.tokens = tokens;
    this.plans = plans;
    this.publicUrl = publicUrl;
    this.staffInvites = staffInvites;
    this.throttle = throttle;
    this.pool = pool;
  }

  public void mount(RouterBuilder rb) {
    rb.getRoute("signUpCustomer").addHandler(Api.handle(this::signUpCustomer));
    rb.getRoute("signUpPartner").addHandler(Api.handle(this::signUpPartner));
    rb.getRoute("issueToken").addHandler(Api.handle(this::issueToken));
    rb.getRoute("revokeToken").addHandler(Api.handle(ctx -> {
      Api.requireSignedIn(ctx);
      String token = ctx.request().getHeader("Authorization").substring(7).trim();
      return tokens.revoke(pool, token).compose(v -> Api.ok(ctx, new JsonObject().put("signedOut", true)));
    }));
    rb.getRoute("acceptStaffInvite").addHandler(Api.handle(ctx -> {
      JsonObject b = Api.body(ctx);
      return acceptStaffInvite(b.getString("token"), b.getString("password")).compose(json -> Api.created(ctx, json));
    }));
  }

  /** R10: an invited staff member chooses a password; they are signed in at once. */
  public Future<JsonObject> acceptStaffInvite(String token, String password) {
    return joinStaff(token, password).map(p -> new JsonObject().put("userId", p.userId().toString())
        .put("accountId", p.accountId().toString()).put("role", p.role()).put("token", tokens.issue(p))
        .put("expiresIn", tokens.tokenSeconds()));
  }

  /** Shared by the API and the invitation page: spends the link and returns the new user. */
  public Future<Principal> joinStaff(String token, String password) {
    return hasher.hash(password).compose(hash -> staffInvites.accept(token, hash)).map(j ->
        new Principal(j.userId(), Principal.Kind.CUSTOMER, j.accountId(), j.role(), null, j.name()));
  }

  public String referralLink(String code) {
    return publicUrl + "/signup?ref=" + code;
  }

  private Future<?> signUpCustomer(RoutingContext ctx) {
    JsonObject b = Api.body(ctx);
    String plan = plans.require(b.getString("plan"));
    return signUpCustomer(b.getString("businessName"), b.getString("name"), b.getString("email"),
        b.getString("password"), plan, b.getString("referralCode"))
        .compose(json -> Api.created(ctx, json));
  }

  /** Shared by the API and the sign-up page. */
  public Future<JsonObject> signUpCustomer(String business, String name, String email, String password, String plan,
                                           String referralCode) {
    return hasher.hash(password)
        .compose(hash -> accounts.signUp(business, plan, new AccountRepository.NewUser(name, email, hash), referralCode))
        .map(s -> {
          Principal p = new Principal(s.userId(), Principal.Kind.CUSTOMER, s.accountId(), "owner", null, name.strip());
          return new JsonObject().put("accountId", s.accountId().toString()).put("userId", s.userId().toString())
              .put("token", tokens.issue(p)).put("expiresIn", tokens.tokenSeconds())
              .put("partner", s.partnerId() == null ? null : new JsonObject().put("id", s.partnerId().toString())
                  .put("name", s.partnerName()).put("access", "disabled"));
        });
  }

  private Future<?> signUpPartner(RoutingContext ctx) {
    JsonObject b = Api.body(ctx);
    return signUpPartner(b.getString("organisation"), b.getString("name"), b.getString("email"), b.getString("password"))
        .compose(json -> Api.created(ctx, json));
  }

  public Future<JsonObject> signUpPartner(String organisation, String name, String email, String password) {
    return hasher.hash(password)
        .compose(hash -> identity.signUpPartner(organisation, name, email, hash))
        .map(np -> {
          Principal p = new Principal(np.userId(), Principal.Kind.PARTNER, null, null, np.partnerId(), name.strip());
          return new JsonObject().put("partnerId", np.partnerId().toString()).put("userId", np.userId().toString())
              .put("referralCode", np.referralCode()).put("referralLink", referralLink(np.referralCode()))
              .put("token", tokens.issue(p)).put("expiresIn", tokens.tokenSeconds());
        });
  }

  private Future<?> issueToken(RoutingContext ctx) {
    JsonObject b = Api.body(ctx);
    return signIn(b.getString("email"), b.getString("password")).compose(p -> Api.ok(ctx, new JsonObject()
        .put("token", tokens.issue(p)).put("tokenType", "Bearer").put("expiresIn", tokens.tokenSeconds())
        .put("kind", p.isPartner() ? "partner" : "customer")
        .put("accountId", p.accountId() == null ? null : p.accountId().toString())
        .put("partnerId", p.partnerId() == null ? null : p.partnerId().toString())
        .put("role", p.role())));
  }

  /** Checks the password (on a worker thread, same cost whether or not the email exists). */
  public Future<Principal> signIn(String email, String password) {
    try {
      throttle.check(email);
    } catch (DomainException refused) {
      return Future.failedFuture(refused);
    }
    return identity.byEmail(email).compose(user -> hasher.verify(password, user == null ? null : user.passwordHash())
        .compose(ok -> {
          if (ok && user != null) {
            throttle.succeeded(email);
            return Future.succeededFuture(user.principal());
          }
          throttle.failed(email);
          return Future.failedFuture(Problem.INVALID_CREDENTIALS.exception("The email or password is wrong"));
        }));
  }

  public TokenService tokens() {
    return tokens;
  }
}
