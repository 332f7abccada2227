package com.partneraccess.partners;

import com.partneraccess.access.AccessClient;
import com.partneraccess.accounts.AccountRepository;
import com.partneraccess.activity.ActivityLog;
import com.partneraccess.banner.BannerRepository;
import com.partneraccess.bus.Problem;
import com.partneraccess.commission.CommissionRepository;
import com.partneraccess.connections.ConnectionRepository;
import com.partneraccess.http.Api;
import com.partneraccess.http.Plans;
import com.partneraccess.identity.IdentityApi;
import com.partneraccess.identity.IdentityRepository;
import com.partneraccess.identity.PasswordHasher;
import com.partneraccess.identity.Principal;
import com.partneraccess.invites.InviteMail;
import com.partneraccess.invites.InviteRepository;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.sqlclient.Pool;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;

/** The partner portal's API: customers, log in, request access, invites, profile, commission, banners. */
public final class PartnerApi {
  private final Pool pool;
  private final AppClock clock;
  private final ConnectionRepository connections;
  private final AccountRepository accounts;
  private final InviteRepository invites;
  private final IdentityRepository identity;
  private final CommissionRepository commission;
  private final BannerRepository banners;
  private final AccessClient access;
  private final PasswordHasher hasher;
  private final IdentityApi identityApi;
  private final Plans plans;
  private final InviteMail inviteMail;

  public PartnerApi(Pool pool, AppClock clock, ConnectionRepository connections, AccountRepository accounts,
                    InviteRepository invites, IdentityRepository identity, CommissionRepository commission,
                    BannerRepository banners, AccessClient access, PasswordHasher hasher, IdentityApi identityApi,
                    Plans plans, InviteMail inviteMail) {
    this.pool = pool;
    this.clock = clock;
    this.connections = connections;
    this.accounts = accounts;
    this.invites = invites;
    this.identity = identity;
    this.commission = commission;
    this.banners = banners;
    this.access = access;
    this.hasher = hasher;
    this.identityApi = identityApi;
    this.plans = plans;
    this.inviteMail = inviteMail;
  }

  public void mount(RouterBuilder rb) {
    rb.getRoute("listCustomers").addHandler(Api.handle(this::listCustomers));
    rb.getRoute("addCustomer").addHandler(Api.handle(this::addCustomer));
    rb.getRoute("handOverCustomer").addHandler(Api.handle(this::handOver));
    rb.getRoute("requestAccess").addHandler(Api.handle(this::requestAccess));
    rb.getRoute("logInToCustomer").addHandler(Api.handle(this::logIn));
    rb.getRoute("disconnectCustomer").addHandler(Api.handle(this::disconnect));
    rb.getRoute("createInvite").addHandler(Api.handle(this::createInvite));
    rb.getRoute("listInvites").addHandler(Api.handle(ctx -> invites.ofPartner(Api.requirePartner(ctx).partnerId())
        .compose(list -> Api.ok(ctx, new JsonObject().put("invites", list)))));
    rb.getRoute("withdrawInvite").addHandler(Api.handle(ctx -> invites.withdraw(Api.requirePartner(ctx).partnerId(),
        Api.pathId(ctx, "inviteId")).compose(v -> Api.ok(ctx, new JsonObject().put("status", "withdrawn")))));
    rb.getRoute("resendInvite").addHandler(Api.handle(ctx -> invites.resend(Api.requirePartner(ctx).partnerId(),
        Api.pathId(ctx, "inviteId")).compose(inviteMail::send).compose(inv -> Api.ok(ctx, inv))));
    rb.getRoute("getPartnerProfile").addHandler(Api.handle(this::profile));
    rb.getRoute("getCommission").addHandler(Api.handle(this::commission));
    rb.getRoute("getCommissionHistory").addHandler(Api.handle(ctx -> commission.history(
            Api.requirePartner(ctx).partnerId(), Api.intQuery(ctx, "months", 12))
        .compose(list -> Api.ok(ctx, new JsonObject().put("months", list)))));
    rb.getRoute("listPartnerBanners").addHandler(Api.handle(ctx -> banners.forPartner(Api.requirePartner(ctx).partnerId())
        .compose(list -> Api.ok(ctx, new JsonObject().put("banners", list)))));
    rb.getRoute("dismissPartnerBanner").addHandler(Api.handle(ctx -> banners.dismissForPartner(
            Api.requirePartner(ctx).partnerId(), Api.pathId(ctx, "bannerId"))
        .compose(v -> Api.ok(ctx, new JsonObject().put("dismissed", true)))));
  }

  private Future<?> listCustomers(RoutingContext ctx) {
    Principal p = Api.requirePartner(ctx);
    return connections.customersOf(p.partnerId()).compose(list -> {
      JsonArray arr = new JsonArray();
      list.forEach(c -> arr.add(c.toJson()));
      return Api.ok(ctx, new JsonObject().put("customers", arr));
    });
  }

  /** R3b: Add a customer; the optional owner can sign in with the password the partner set (handover). */
  private Future<?> addCustomer(RoutingContext ctx) {
    Principal p = Api.requirePartner(ctx);
    JsonObject b = Api.body(ctx);
    String plan = plans.require(b.getString("plan"));
    JsonObject owner = b.getJsonObject("owner");
    return addCustomer(p, b.getString("businessName"), plan, owner == null ? null : owner.getString("name"),
        owner == null ? null : owner.getString("email"), owner == null ? null : owner.getString("password"))
        .compose(json -> Api.created(ctx, json));
  }

  public Future<JsonObject> addCustomer(Principal p, String businessName, String plan, String ownerName,
                                        String ownerEmail, String ownerPassword) {
    Future<AccountRepository.NewUser> owner = ownerEmail == null ? Future.succeededFuture(null)
        : hasher.hash(ownerPassword).map(h -> new AccountRepository.NewUser(ownerName, ownerEmail, h));
    return identity.partner(p.partnerId()).compose(partner -> owner.compose(o ->
        accounts.createForPartner(p.partnerId(), partner.name(), p.userId(), businessName, plan, o)))
        .map(s -> new JsonObject().put("accountId", s.accountId().toString())
            .put("ownerUserId", s.userId() == null ? null : s.userId().toString())
            .put("access", "enabled").put("origin", "created"));
  }

  private Future<?> handOver(RoutingContext ctx) {
    Principal p = Api.requirePartner(ctx);
    UUID accountId = Api.pathId(ctx, "accountId");
    JsonObject b = Api.body(ctx);
    return hasher.hash(b.getString("password"))
        .compose(h -> accounts.addOwner(accountId, p.partnerId(),
            new AccountRepository.NewUser(b.getString("name"), b.getString("email"), h)))
        .compose(id -> Api.created(ctx, new JsonObject().put("ownerUserId", id.toString())));
  }

  private Future<?> requestAccess(RoutingContext ctx) {
    Principal p = Api.requirePartner(ctx);
    return connections.requestAccess(p.partnerId(), Api.pathId(ctx, "accountId"), p.userId())
        .compose(r -> {
          JsonObject json = new JsonObject().put("requestId", r.requestId().toString()).put("status", "pending")
              .put("requestedAt", r.requestedAt()).put("created", r.created());
          return r.created() ? Api.created(ctx, json) : Api.ok(ctx, json);
        });
  }

  /**
   * R8/R11/R23: log in to a customer's account. The access check (which also records the access) decides;
   * the log-in is written to the account's activity history; the reply is an account-scoped token.
   */
  private Future<?> logIn(RoutingContext ctx) {
    Principal p = Api.requirePartner(ctx);
    UUID accountId = Api.pathId(ctx, "accountId");
    return logIn(p, accountId).compose(json -> Api.created(ctx, json));
  }

  public Future<JsonObject> logIn(Principal p, UUID accountId) {
    return access.check(p.partnerId(), accountId).compose(grant -> pool.withConnection(c ->
            ActivityLog.record(c, accountId, clock.nowUtc(), "partner.login", p.userId(), p.partnerId(),
                p.name() + " logged in as partner"))
        .map(v -> {
          Principal scoped = new Principal(p.userId(), Principal.Kind.PARTNER, accountId, null, p.partnerId(), p.name());
          return new JsonObject().put("token", identityApi.tokens().issue(scoped)).put("tokenType", "Bearer")
              .put("accountId", accountId.toString()).put("businessName", grant.businessName())
              .put("accessExpiresAt", grant.expiresAt() == null ? null : grant.expiresAt().toString());
        }));
  }

  private Future<?> disconnect(RoutingContext ctx) {
    Principal p = Api.requirePartner(ctx);
    UUID accountId = Api.pathId(ctx, "accountId");
    return connections.disconnect(accountId, p.partnerId(), false, ctx.request().getParam("reason"), p.userId())
        .compose(change -> {
          return Api.ok(ctx, new JsonObject().put("disconnected", true));
        });
  }

  private Future<?> createInvite(RoutingContext ctx) {
    Principal p = Api.requirePartner(ctx);
    JsonObject b = Api.body(ctx);
    UUID accountId = Api.uuidOrNull(b.getString("accountId"), "accountId");
    String email = b.getString("email");
    if ((accountId == null) == (email == null || email.isBlank())) {
      throw Problem.VALIDATION_FAILED.exception("Give either accountId or email");
    }
    return invites.create(p.partnerId(), accountId, email).compose(inviteMail::send)
        .compose(inv -> Api.created(ctx, inv));
  }

  private Future<?> profile(RoutingContext ctx) {
    Principal p = Api.requirePartner(ctx);
    return identity.partner(p.partnerId()).compose(partner -> commission.credits(p.partnerId()).compose(credits ->
        Api.ok(ctx, new JsonObject().put("partnerId", partner.id().toString()).put("name", partner.name())
            .put("referralCode", partner.referralCode()).put("referralLink", identityApi.referralLink(partner.referralCode()))
            .mergeIn(credits))));
  }

  private Future<?> commission(RoutingContext ctx) {
    Principal p = Api.requirePartner(ctx);
    String m = ctx.request().getParam("month");
    YearMonth month;
    try {
      month = m == null || m.isBlank() ? YearMonth.from(clock.now().atOffset(ZoneOffset.UTC)) : YearMonth.parse(m);
    } catch (RuntimeException e) {
      throw Problem.VALIDATION_FAILED.exception("month must look like 2026-03");
    }
    return commission.statement(p.partnerId(), month).compose(s -> Api.ok(ctx, s));
  }
}
