package com.partneraccess.http;

import com.partneraccess.accounts.AccountActors;
import com.partneraccess.accounts.AccountService;
import com.partneraccess.activity.ActivityService;
import com.partneraccess.authz.AccountActor;
import com.partneraccess.banner.BannerService;
import com.partneraccess.connections.AccessRequestService;
import com.partneraccess.connections.ConnectionService;
import com.partneraccess.invites.InviteService;
import com.partneraccess.jobs.JobService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.util.function.BiFunction;

/**
 * The JSON adapter of everything inside a customer account: resolve the caller to an {@link AccountActor}
 * (for a partner: the access check), parse, call the feature service (which authorises and validates),
 * write JSON. No rule lives here.
 */
public final class AccountApi {
  private final AccountActors actors;
  private final AccountService accounts;
  private final ConnectionService connections;
  private final AccessRequestService requests;
  private final InviteService invites;
  private final JobService jobs;
  private final BannerService banners;
  private final ActivityService activity;

  public AccountApi(AccountActors actors, AccountService accounts, ConnectionService connections,
                    AccessRequestService requests, InviteService invites, JobService jobs, BannerService banners,
                    ActivityService activity) {
    this.actors = actors;
    this.accounts = accounts;
    this.connections = connections;
    this.requests = requests;
    this.invites = invites;
    this.jobs = jobs;
    this.banners = banners;
    this.activity = activity;
  }

  private void on(RouterBuilder rb, String operationId, BiFunction<RoutingContext, AccountActor, Future<?>> handler) {
    rb.getRoute(operationId).addHandler(Api.handle(ctx -> actors.resolve(Api.principal(ctx))
        .compose(actor -> handler.apply(ctx, actor))));
  }

  public void mount(RouterBuilder rb) {
    on(rb, "getAccount", (ctx, a) -> accounts.summary(a).compose(s -> Api.ok(ctx, s
        .put("you", new JsonObject().put("role", a.isPartner() ? "partner" : a.role())
            .put("partnerId", a.partnerId() == null ? null : a.partnerId().toString())))));

    on(rb, "listJobs", (ctx, a) -> jobs.list(a, new JobService.ListJobs(Api.query(ctx, "person"),
            Api.query(ctx, "from"), Api.query(ctx, "to"), Api.intQuery(ctx, "limit", null), Api.query(ctx, "cursor")))
        .compose(page -> {
          JsonArray out = new JsonArray();
          page.jobs().forEach(j -> out.add(j.toJson()));
          return Api.ok(ctx, new JsonObject().put("jobs", out).put("nextCursor", page.nextCursor()));
        }));
    on(rb, "createJobs", (ctx, a) -> {
      JsonObject b = Api.body(ctx);
      return jobs.create(a, new JobService.CreateJobs(b.getString("title"), b.getInteger("quantity")))
          .compose(r -> Api.created(ctx, r.toJson()));
    });

    on(rb, "listStaff", (ctx, a) -> accounts.staff(a).compose(list -> {
      JsonArray partners = new JsonArray();
      list.partners().forEach(p -> partners.add(p.toJson()));
      return Api.ok(ctx, new JsonObject().put("staff", list.users()).put("partners", partners)
          .put("invited", list.invited()));
    }));
    on(rb, "addStaff", (ctx, a) -> {
      JsonObject b = Api.body(ctx);
      return accounts.addStaff(a, new AccountService.AddStaff(b.getString("name"), b.getString("email"),
              b.getString("role"), b.getString("password")))
          .compose(added -> Api.created(ctx, added.invited() ? added.invitation()
              : new JsonObject().put("userId", added.userId().toString()).put("role", added.role())
                  .put("status", "created")));
    });

    on(rb, "confirmStaff", (ctx, a) -> accounts.confirmStaff(a, Api.pathId(ctx, "userId"))
        .compose(name -> Api.ok(ctx, new JsonObject().put("userId", Api.pathId(ctx, "userId").toString())
            .put("name", name).put("confirmed", true))));

    on(rb, "listPartnerInvites", (ctx, a) -> invites.forAccount(a, new InviteService.PageRequest(
            Api.intQuery(ctx, "limit", null), ctx.request().getParam("cursor")))
        .compose(page -> Api.ok(ctx, new JsonObject().put("invites", page.invites()).put("nextCursor", page.nextCursor()))));
    on(rb, "acceptPartnerInvite", (ctx, a) -> decideInvite(ctx, a, true));
    on(rb, "declinePartnerInvite", (ctx, a) -> decideInvite(ctx, a, false));

    on(rb, "setPartnerAccess", (ctx, a) -> connections.setAccess(a, new ConnectionService.SetAccess(
            Api.pathId(ctx, "partnerId"), Boolean.TRUE.equals(Api.body(ctx).getBoolean("enabled"))))
        .compose(o -> Api.ok(ctx, new JsonObject().put("partnerId", o.change().partnerId().toString())
            .put("access", o.change().access()).put("expiresAt", o.change().expiresAt()))));
    on(rb, "disconnectPartner", (ctx, a) -> connections.disconnect(a, new ConnectionService.Disconnect(
            Api.pathId(ctx, "partnerId"), Api.body(ctx).getString("reason")))
        .compose(o -> Api.ok(ctx, new JsonObject().put("disconnected", true)
            .put("partnerId", o.change().partnerId().toString()))));

    on(rb, "listAccessRequests", (ctx, a) -> requests.requests(a, ctx.request().getParam("status"), Api.page(ctx)).compose(page -> {
      JsonArray out = new JsonArray();
      page.requests().forEach(r -> out.add(new JsonObject().put("id", r.id().toString()).put("partnerId", r.partnerId().toString())
          .put("partnerName", r.partnerName()).put("status", r.status()).put("requestedAt", r.requestedAt())
          .put("decidedAt", r.decidedAt()).put("reason", r.reason()).put("length", r.length().code)
          .put("grantedLength", r.granted() == null ? null : r.granted().code)));
      return Api.ok(ctx, new JsonObject().put("requests", out).put("nextCursor", page.nextCursor()));
    }));
    on(rb, "approveAccessRequest", (ctx, a) -> decideRequest(ctx, a, true));
    on(rb, "denyAccessRequest", (ctx, a) -> decideRequest(ctx, a, false));

    on(rb, "listAccountBanners", (ctx, a) -> banners.forAccount(a, Api.page(ctx)).compose(page -> {
      JsonArray out = new JsonArray();
      page.banners().forEach(b -> out.add(b.toJson()));
      return Api.ok(ctx, new JsonObject().put("banners", out).put("nextCursor", page.nextCursor()));
    }));
    on(rb, "dismissAccountBanner", (ctx, a) -> banners.dismiss(a, Api.pathId(ctx, "bannerId"))
        .compose(v -> Api.ok(ctx, new JsonObject().put("dismissed", true))));

    on(rb, "listActivity", (ctx, a) -> {
      Integer before = Api.intQuery(ctx, "before", null);
      return activity.page(a, new ActivityService.ListActivity(Api.query(ctx, "person"), Api.query(ctx, "kind"),
              Api.query(ctx, "from"), Api.query(ctx, "to"), Api.intQuery(ctx, "limit", null), Api.query(ctx, "cursor"),
              before == null ? null : before.longValue()))
          .compose(page -> {
            JsonArray out = new JsonArray();
            page.entries().forEach(e -> out.add(e.toJson()));
            return Api.ok(ctx, new JsonObject().put("activity", out).put("nextCursor", page.nextCursor()));
          });
    });
    // R32: the history on a date, and the activity export
    on(rb, "getAccessAtMoment", (ctx, a) -> activity.atMoment(a, ctx.request().getParam("at"), null,
        Api.intQuery(ctx, "windowMinutes", null)).compose(r -> Api.ok(ctx, r.toJson())));
    on(rb, "exportActivity", (ctx, a) -> CsvDownload.send(ctx, activity,
        activity.csvExport(a, ctx.request().getParam("from"), ctx.request().getParam("to"), null)));
    on(rb, "getSubscription", (ctx, a) -> accounts.subscription(a).compose(s -> Api.ok(ctx, subscription(s))));
    on(rb, "changeSubscription", (ctx, a) -> accounts.changePlan(a, Api.body(ctx).getString("plan"))
        .compose(s -> Api.ok(ctx, subscription(s))));
    on(rb, "cancelAccount", (ctx, a) -> accounts.cancel(a, Api.body(ctx).getString("reason"))
        .compose(v -> Api.ok(ctx, new JsonObject().put("status", "cancelled"))));
    on(rb, "changeOwner", (ctx, a) -> {
      java.util.UUID newOwner = Api.uuidOrNull(Api.body(ctx).getString("userId"), "userId");
      return accounts.changeOwner(a, newOwner).compose(v -> Api.ok(ctx, new JsonObject()
          .put("ownerUserId", newOwner.toString()).put("yourRole", "admin")));
    });
  }

  private static JsonObject subscription(AccountService.Subscription s) {
    JsonObject prices = new JsonObject();
    s.prices().forEach((k, v) -> prices.put(k, v.toPlainString()));
    return new JsonObject().put("plan", s.plan()).put("status", s.status()).put("plans", prices);
  }

  private Future<?> decideInvite(RoutingContext ctx, AccountActor a, boolean accept) {
    return invites.decide(a, Api.pathId(ctx, "inviteId"), accept)
        .compose(partnerId -> Api.ok(ctx, new JsonObject().put("status", accept ? "accepted" : "declined")
            .put("partnerId", partnerId.toString()).put("access", accept ? "enabled" : null)));
  }

  private Future<?> decideRequest(RoutingContext ctx, AccountActor a, boolean approve) {
    return requests.decide(a, Api.pathId(ctx, "requestId"), approve,
            approve ? Api.body(ctx).getString("length") : null)
        .compose(o -> Api.ok(ctx, new JsonObject().put("status", approve ? "approved" : "denied")
            .put("partnerId", o.change().partnerId().toString()).put("access", o.change().access())
            .put("expiresAt", o.change().expiresAt())));
  }
}
