package com.partneraccess.accounts;

import com.partneraccess.Services;
import com.partneraccess.activity.ActivityRepository;
import com.partneraccess.banner.BannerRepository;
import com.partneraccess.connections.ConnectionRepository;
import com.partneraccess.http.Api;
import com.partneraccess.http.Plans;
import com.partneraccess.identity.PasswordHasher;
import com.partneraccess.invites.InviteRepository;
import com.partneraccess.jobs.JobRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Everything inside a customer account, for its users and for a partner with access. Each route first
 * resolves the caller to an {@link AccountActor} (for a partner: the access check over the event bus),
 * then applies the role rule of the route (R9, R10, R2, R23).
 */
public final class AccountApi {
  private final AccountActors actors;
  private final AccountRepository accounts;
  private final ConnectionRepository connections;
  private final InviteRepository invites;
  private final JobRepository jobs;
  private final ActivityRepository activity;
  private final BannerRepository banners;
  private final PasswordHasher hasher;
  private final Plans plans;
  private final StaffInviteRepository staffInvites;
  private final StaffInvitations staffInvitations;

  public AccountApi(Services s) {
    this.actors = s.actors();
    this.accounts = s.accounts();
    this.connections = s.connections();
    this.invites = s.invites();
    this.jobs = s.jobs();
    this.activity = s.activity();
    this.banners = s.banners();
    this.hasher = s.hasher();
    this.plans = s.plans();
    this.staffInvites = s.staffInvites();
    this.staffInvitations = s.staffInvitations();
  }

  private void on(RouterBuilder rb, String operationId, BiFunction<RoutingContext, AccountActor, Future<?>> handler) {
    rb.getRoute(operationId).addHandler(Api.handle(ctx -> actors.resolve(Api.principal(ctx))
        .compose(actor -> handler.apply(ctx, actor))));
  }

  public void mount(RouterBuilder rb) {
    on(rb, "getAccount", (ctx, a) -> accounts.summary(a.accountId()).compose(s -> Api.ok(ctx, s
        .put("you", new JsonObject().put("role", a.isPartner() ? "partner" : a.role())
            .put("partnerId", a.partnerId() == null ? null : a.partnerId().toString())))));

    on(rb, "listJobs", (ctx, a) -> jobs.list(a.accountId(), Api.intQuery(ctx, "limit", 100))
        .compose(list -> Api.ok(ctx, new JsonObject().put("jobs", list))));
    on(rb, "createJobs", (ctx, a) -> {
      JsonObject b = Api.body(ctx);
      return jobs.create(a, b.getString("title"), b.getInteger("quantity", 1)).compose(r -> Api.created(ctx, r));
    });

    on(rb, "listStaff", (ctx, a) -> accounts.staff(a.accountId()).compose(staff -> connections.partnersOf(a.accountId())
        .compose(partners -> staffInvites.pending(a.accountId()).compose(invited -> {
          JsonArray arr = new JsonArray();
          partners.forEach(p -> arr.add(p.toJson()));
          return Api.ok(ctx, new JsonObject().put("staff", staff).put("partners", arr).put("invited", invited));
        }))));
    on(rb, "addStaff", (ctx, a) -> {
      a.requireManage();
      JsonObject b = Api.body(ctx);
      if (b.getString("password") == null) {
        return staffInvitations.invite(a, b.getString("name"), b.getString("email"), b.getString("role"))
            .compose(json -> Api.created(ctx, json));
      }
      return hasher.hash(b.getString("password"))
          .compose(h -> accounts.addStaff(a, new AccountRepository.NewUser(b.getString("name"), b.getString("email"), h),
              b.getString("role")))
          .compose(id -> Api.created(ctx, new JsonObject().put("userId", id.toString()).put("role", b.getString("role"))
              .put("status", "created")));
    });

    on(rb, "listPartnerInvites", (ctx, a) -> {
      a.requireCustomerManager();
      return invites.forAccount(a.accountId()).compose(list -> Api.ok(ctx, new JsonObject().put("invites", list)));
    });
    on(rb, "acceptPartnerInvite", (ctx, a) -> decideInvite(ctx, a, true));
    on(rb, "declinePartnerInvite", (ctx, a) -> decideInvite(ctx, a, false));

    on(rb, "setPartnerAccess", (ctx, a) -> {
      a.requireCustomerManager();
      boolean enable = Api.body(ctx).getBoolean("enabled");
      return connections.setAccess(a.accountId(), Api.pathId(ctx, "partnerId"), enable, a.userId()).compose(change -> {
        return Api.ok(ctx, new JsonObject().put("partnerId", change.partnerId().toString())
            .put("access", change.access()).put("expiresAt", change.expiresAt()));
      });
    });
    on(rb, "disconnectPartner", (ctx, a) -> {
      a.requireCustomerManager();
      return connections.disconnect(a.accountId(), Api.pathId(ctx, "partnerId"), true, Api.body(ctx).getString("reason"),
          a.userId()).compose(change -> {
            return Api.ok(ctx, new JsonObject().put("disconnected", true)
                .put("partnerId", change.partnerId().toString()));
          });
    });

    on(rb, "listAccessRequests", (ctx, a) -> {
      a.requireCustomerManager();
      return connections.requestsOf(a.accountId(), ctx.request().getParam("status"))
          .compose(list -> Api.ok(ctx, new JsonObject().put("requests", new JsonArray(list))));
    });
    on(rb, "approveAccessRequest", (ctx, a) -> decideRequest(ctx, a, true));
    on(rb, "denyAccessRequest", (ctx, a) -> decideRequest(ctx, a, false));

    on(rb, "listAccountBanners", (ctx, a) -> {
      a.requireCustomerManager();
      return banners.forAccount(a.accountId()).compose(list -> Api.ok(ctx, new JsonObject().put("banners", list)));
    });
    on(rb, "dismissAccountBanner", (ctx, a) -> {
      a.requireCustomerManager();
      return banners.dismissForAccount(a.accountId(), Api.pathId(ctx, "bannerId"))
          .compose(v -> Api.ok(ctx, new JsonObject().put("dismissed", true)));
    });

    on(rb, "listActivity", (ctx, a) -> {
      a.requireOwner();
      Integer before = Api.intQuery(ctx, "before", null);
      return activity.page(a.accountId(), before == null ? null : before.longValue(), Api.intQuery(ctx, "limit", 100))
          .compose(list -> Api.ok(ctx, new JsonObject().put("activity", list)));
    });
    on(rb, "getSubscription", (ctx, a) -> {
      a.requireOwner();
      return accounts.summary(a.accountId()).compose(s -> Api.ok(ctx, subscription(s.getString("plan"), s.getString("status"))));
    });
    on(rb, "changeSubscription", (ctx, a) -> {
      a.requireOwner();
      String plan = plans.require(Api.body(ctx).getString("plan"));
      return accounts.changePlan(a, plan).compose(p -> Api.ok(ctx, subscription(p, "active")));
    });
    on(rb, "cancelAccount", (ctx, a) -> {
      a.requireOwner();
      return accounts.cancel(a, Api.body(ctx).getString("reason"))
          .compose(v -> Api.ok(ctx, new JsonObject().put("status", "cancelled")));
    });
    on(rb, "changeOwner", (ctx, a) -> {
      a.requireOwner();
      UUID newOwner = Api.uuidOrNull(Api.body(ctx).getString("userId"), "userId");
      return accounts.changeOwner(a, newOwner).compose(v -> Api.ok(ctx, new JsonObject()
          .put("ownerUserId", newOwner.toString()).put("yourRole", "admin")));
    });
  }

  private JsonObject subscription(String plan, String status) {
    JsonObject prices = new JsonObject();
    plans.prices().forEach((k, v) -> prices.put(k, v.toPlainString()));
    return new JsonObject().put("plan", plan).put("status", status).put("plans", prices);
  }

  /** R2: only the account owner accepts or declines; a partner never can (R9). */
  private Future<?> decideInvite(RoutingContext ctx, AccountActor a, boolean accept) {
    a.requireOwner();
    return invites.decide(a.accountId(), Api.pathId(ctx, "inviteId"), accept, a.userId())
        .compose(partnerId -> Api.ok(ctx, new JsonObject().put("status", accept ? "accepted" : "declined")
            .put("partnerId", partnerId.toString()).put("access", accept ? "enabled" : null)));
  }

  private Future<?> decideRequest(RoutingContext ctx, AccountActor a, boolean approve) {
    a.requireCustomerManager();
    return connections.decide(a.accountId(), Api.pathId(ctx, "requestId"), approve, a.userId()).compose(change -> {
      return Api.ok(ctx, new JsonObject().put("status", approve ? "approved" : "denied")
          .put("partnerId", change.partnerId().toString()).put("access", change.access()));
    });
  }
}
