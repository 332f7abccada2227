package com.partneraccess.http;

import com.partneraccess.authz.Principal;
import com.partneraccess.banner.BannerService;
import com.partneraccess.commission.CommissionService;
import com.partneraccess.connections.AccessRequestService;
import com.partneraccess.connections.ConnectionService;
import com.partneraccess.invites.InviteService;
import com.partneraccess.partners.PartnerService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.util.function.BiFunction;

/** The JSON adapter of the partner portal: parse, call the feature service (which authorises), write JSON. */
public final class PartnerApi {
  private final PartnerService partners;
  private final ConnectionService connections;
  private final AccessRequestService requests;
  private final InviteService invites;
  private final CommissionService commission;
  private final BannerService banners;

  public PartnerApi(PartnerService partners, ConnectionService connections, AccessRequestService requests,
                    InviteService invites, CommissionService commission, BannerService banners) {
    this.partners = partners;
    this.connections = connections;
    this.requests = requests;
    this.invites = invites;
    this.commission = commission;
    this.banners = banners;
  }

  private static void on(RouterBuilder rb, String operationId, BiFunction<RoutingContext, Principal, Future<?>> h) {
    rb.getRoute(operationId).addHandler(Api.handle(ctx -> h.apply(ctx, Api.principal(ctx))));
  }

  /** R25: the claim link e-mailed to the owner of a partner-created account. */
  private static JsonObject handover(com.partneraccess.accounts.OwnerClaims.Sent sent) {
    return new JsonObject().put("status", "claim_sent").put("ownerEmail", sent.email())
        .put("expiresAt", sent.expiresAt()).put("emailSent", sent.emailSent());
  }

  public void mount(RouterBuilder rb) {
    on(rb, "listCustomers", (ctx, p) -> connections.customers(p, new ConnectionService.ListCustomers(
            Api.query(ctx, "q"), Api.query(ctx, "filter"), Api.query(ctx, "sort"), Api.intQuery(ctx, "limit", null),
            Api.query(ctx, "cursor")))
        .compose(list -> {
          JsonArray arr = new JsonArray();
          list.customers().forEach(c -> arr.add(c.toJson()));
          return Api.ok(ctx, new JsonObject().put("customers", arr).put("nextCursor", list.nextCursor())
              .put("counts", list.counts().toJson()));
        }));
    on(rb, "addCustomer", (ctx, p) -> {
      JsonObject b = Api.body(ctx);
      JsonObject o = b.getJsonObject("owner");
      PartnerService.Owner owner = o == null ? null
          : new PartnerService.Owner(o.getString("name"), o.getString("email"), o.getString("password"));
      return partners.addCustomer(p, new PartnerService.AddCustomer(b.getString("businessName"), b.getString("plan"), owner))
          .compose(c -> Api.created(ctx, new JsonObject().put("accountId", c.accountId().toString())
              .put("access", "enabled").put("origin", "created")
              .put("handover", c.claim() == null ? null : handover(c.claim()))));
    });
    on(rb, "handOverCustomer", (ctx, p) -> {
      JsonObject b = Api.body(ctx);
      return partners.handOver(p, Api.pathId(ctx, "accountId"),
              new PartnerService.Owner(b.getString("name"), b.getString("email"), b.getString("password")))
          .compose(sent -> Api.created(ctx, handover(sent)));
    });
    on(rb, "requestAccess", (ctx, p) -> requests.requestAccess(p, Api.pathId(ctx, "accountId"),
        new AccessRequestService.AskAccess(Api.body(ctx).getString("reason"), Api.body(ctx).getString("length"))).compose(r -> {
      JsonObject json = new JsonObject().put("requestId", r.requestId().toString()).put("status", "pending")
          .put("requestedAt", r.requestedAt()).put("created", r.created());
      return r.created() ? Api.created(ctx, json) : Api.ok(ctx, json);
    }));
    on(rb, "withdrawAccessRequest", (ctx, p) -> requests.withdrawRequest(p, Api.pathId(ctx, "accountId"))
        .compose(w -> Api.ok(ctx, new JsonObject().put("requestId", w.requestId().toString()).put("status", "cancelled"))));
    on(rb, "logInToCustomer", (ctx, p) -> partners.logIn(p, Api.pathId(ctx, "accountId"))
        .compose(s -> Api.created(ctx, new JsonObject().put("token", s.token()).put("tokenType", "Bearer")
            .put("accountId", s.accountId().toString()).put("businessName", s.businessName())
            .put("accessExpiresAt", s.accessExpiresAt()))));
    on(rb, "disconnectCustomer", (ctx, p) -> connections.disconnectFromCustomer(p, Api.pathId(ctx, "accountId"),
            ctx.request().getParam("reason"))
        .compose(change -> Api.ok(ctx, new JsonObject().put("disconnected", true))));
    on(rb, "createInvite", (ctx, p) -> {
      JsonObject b = Api.body(ctx);
      return invites.create(p, new InviteService.CreateInvite(Api.uuidOrNull(b.getString("accountId"), "accountId"),
          b.getString("email"))).compose(sent -> sent.resent() ? Api.ok(ctx, sent.invite()) : Api.created(ctx, sent.invite()));
    });
    on(rb, "listInvites", (ctx, p) -> invites.ofPartner(p, new InviteService.PartnerInvites(Api.query(ctx, "status"),
            Api.intQuery(ctx, "limit", null), Api.query(ctx, "cursor")))
        .compose(page -> Api.ok(ctx, new JsonObject().put("invites", page.invites()).put("nextCursor", page.nextCursor()))));
    on(rb, "withdrawInvite", (ctx, p) -> invites.withdraw(p, Api.pathId(ctx, "inviteId"))
        .compose(v -> Api.ok(ctx, new JsonObject().put("status", "withdrawn"))));
    on(rb, "resendInvite", (ctx, p) -> invites.resend(p, Api.pathId(ctx, "inviteId")).compose(inv -> Api.ok(ctx, inv)));
    on(rb, "getPartnerProfile", (ctx, p) -> partners.profile(p).compose(pr -> Api.ok(ctx, new JsonObject()
        .put("partnerId", pr.partnerId().toString()).put("name", pr.name()).put("referralCode", pr.referralCode())
        .put("referralLink", pr.referralLink()).mergeIn(pr.credits().toJson()))));
    on(rb, "getCommission", (ctx, p) -> commission.statement(p, commission.month(ctx.request().getParam("month")))
        .compose(s -> Api.ok(ctx, s.toJson())));
    on(rb, "getCommissionHistory", (ctx, p) -> commission.history(p, Api.intQuery(ctx, "months", null)).compose(list -> {
      JsonArray months = new JsonArray();
      list.forEach(m -> months.add(m.toJson()));
      return Api.ok(ctx, new JsonObject().put("months", months));
    }));
    on(rb, "listPartnerBanners", (ctx, p) -> banners.forPartner(p, Api.page(ctx)).compose(page -> {
      JsonArray out = new JsonArray();
      page.banners().forEach(b -> out.add(b.toJson()));
      return Api.ok(ctx, new JsonObject().put("banners", out).put("nextCursor", page.nextCursor()));
    }));
    on(rb, "dismissPartnerBanner", (ctx, p) -> banners.dismiss(p, Api.pathId(ctx, "bannerId"))
        .compose(v -> Api.ok(ctx, new JsonObject().put("dismissed", true))));
  }
}
