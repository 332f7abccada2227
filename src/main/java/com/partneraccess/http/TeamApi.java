package com.partneraccess.http;

import com.partneraccess.authz.Principal;
import com.partneraccess.identity.TokenService;
import com.partneraccess.teams.TeamRepository;
import com.partneraccess.teams.TeamService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.util.function.BiFunction;

/** The JSON adapter of R28, the partner organisation's team: parse, call {@link TeamService} (which authorises), write JSON. */
public final class TeamApi {
  private final TeamService teams;
  private final TokenService tokens;

  public TeamApi(TeamService teams, TokenService tokens) {
    this.teams = teams;
    this.tokens = tokens;
  }

  private static void on(RouterBuilder rb, String operationId, BiFunction<RoutingContext, Principal, Future<?>> h) {
    rb.getRoute(operationId).addHandler(Api.handle(ctx -> h.apply(ctx, Api.principal(ctx))));
  }

  public void mount(RouterBuilder rb) {
    on(rb, "listTeam", (ctx, p) -> teams.team(p).compose(t -> Api.ok(ctx, json(t))));
    on(rb, "inviteTeammate", (ctx, p) -> {
      JsonObject b = Api.body(ctx);
      return teams.invite(p, new TeamService.InviteTeammate(b.getString("name"), b.getString("email"), b.getString("role")))
          .compose(i -> Api.created(ctx, new JsonObject().put("inviteId", i.inviteId().toString()).put("name", i.name())
              .put("email", i.email()).put("role", i.role()).put("expiresAt", i.expiresAt())
              .put("emailSent", i.emailSent())));
    });
    on(rb, "setTeammateRole", (ctx, p) -> teams.setRole(p, Api.pathId(ctx, "userId"), Api.body(ctx).getString("role"))
        .compose(c -> Api.ok(ctx, change(c))));
    on(rb, "assignCustomer", (ctx, p) -> teams.assign(p, Api.pathId(ctx, "userId"), Api.pathId(ctx, "accountId"))
        .compose(c -> Api.ok(ctx, change(c))));
    on(rb, "unassignCustomer", (ctx, p) -> teams.unassign(p, Api.pathId(ctx, "userId"), Api.pathId(ctx, "accountId"))
        .compose(c -> Api.ok(ctx, change(c))));
    on(rb, "removeTeammate", (ctx, p) -> teams.remove(p, Api.pathId(ctx, "userId"))
        .compose(c -> Api.ok(ctx, change(c))));
    rb.getRoute("acceptTeamInvite").addHandler(Api.handle(ctx -> {
      JsonObject b = Api.body(ctx);
      return teams.join(b.getString("token"), b.getString("password"))
          .compose(p -> Api.created(ctx, new JsonObject().put("userId", p.userId().toString())
              .put("partnerId", p.partnerId().toString()).put("role", p.role()).put("organisation", p.organisation())
              .put("token", tokens.issue(p)).put("expiresIn", tokens.tokenSeconds())));
    }));
  }

  private static JsonObject change(TeamService.TeamChange c) {
    return new JsonObject().put("userId", c.userId().toString()).put("name", c.name()).put("message", c.sentence());
  }

  private static JsonObject json(TeamService.TeamView t) {
    JsonArray members = new JsonArray();
    for (TeamRepository.Teammate m : t.teammates()) {
      JsonArray customers = new JsonArray();
      m.customers().forEach(c -> customers.add(new JsonObject().put("accountId", c.accountId().toString())
          .put("businessName", c.businessName())));
      members.add(new JsonObject().put("userId", m.userId().toString()).put("name", m.name()).put("email", m.email())
          .put("role", m.role()).put("joinedAt", m.joinedAt()).put("customers", customers));
    }
    JsonArray invites = new JsonArray();
    t.invites().forEach(i -> invites.add(new JsonObject().put("inviteId", i.id().toString()).put("name", i.name())
        .put("email", i.email()).put("role", i.role()).put("invitedAt", i.invitedAt()).put("expiresAt", i.expiresAt())));
    return new JsonObject().put("organisation", t.organisation()).put("yourRole", t.callerRole())
        .put("canManage", t.canManage()).put("teammates", members).put("invites", invites);
  }
}
