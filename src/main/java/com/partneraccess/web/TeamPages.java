package com.partneraccess.web;

import com.partneraccess.authz.Principal;
import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import com.partneraccess.connections.ConnectionService;
import com.partneraccess.connections.CustomerView;
import com.partneraccess.teams.TeamRepository;
import com.partneraccess.teams.TeamService;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * R28: the Team page of the partner portal ({@code /partner/team}): the teammates with their roles and assigned
 * customers; for admins, invite (by e-mail), change a role, assign and unassign customers, remove (after a
 * confirmation page). Every change is {@link TeamService}'s and is confirmed in words; a refusal of the permission
 * table is the error page, any other refusal comes back to the Team page in words. The invited person chooses a
 * password at {@code /team-invite} (the shared {@link LinkPasswordPage}).
 */
final class TeamPages {
  private final Web web;
  private final TeamService teams;
  private final ConnectionService connections;

  TeamPages(Web web, TeamService teams, ConnectionService connections) {
    this.web = web;
    this.teams = teams;
    this.connections = connections;
  }

  void mount(PageRoutes.Mount m) {
    m.get("/partner/team", Web.page(ctx -> page(ctx, 200, Map.of(), null)));
    m.post("/partner/team/invites", Web.page(this::invite));
    m.post("/partner/team/:userId/role", Web.page(this::setRole));
    m.post("/partner/team/:userId/customers", Web.page(this::assign));
    m.post("/partner/team/:userId/customers/:accountId/unassign", Web.page(this::unassign));
    m.get("/partner/team/:userId/remove", Web.page(this::removePage));
    m.post("/partner/team/:userId/remove", Web.page(this::remove));
    new LinkPasswordPage(web, "team-invite", "Join your team", teams::join,
        p -> "Welcome, " + p.name() + ": you joined " + p.organisation() + " as " + p.role() + ".", "/partner/customers")
        .mount(m, "/team-invite");
  }

  private Future<?> page(RoutingContext ctx, int status, Map<String, String> values, String error) {
    Principal p = PartnerPages.partner(ctx);
    Map<String, Object> m = PartnerPages.base(ctx, "team", "Team");
    return teams.team(p).compose(t -> (t.canManage() ? connections.customers(p, ConnectionService.ListCustomers.ASSIGNABLE).map(ConnectionService.CustomerList::customers)
        : Future.succeededFuture(List.<CustomerView>of())).compose(customers -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (TeamRepository.Teammate tm : t.teammates()) {
        Set<UUID> assigned = tm.customers().stream().map(TeamRepository.AssignedCustomer::accountId)
            .collect(Collectors.toSet());
        Map<String, Object> r = new HashMap<>();
        r.put("userId", tm.userId().toString());
        r.put("name", tm.name());
        r.put("email", tm.email());
        r.put("role", tm.role());
        r.put("you", tm.userId().equals(p.userId()));
        r.put("customers", tm.customers().stream().map(c -> Map.of("accountId", c.accountId().toString(),
            "businessName", c.businessName())).toList());
        r.put("assignable", customers.stream().filter(c -> !assigned.contains(c.accountId()))
            .map(c -> Map.of("accountId", c.accountId().toString(), "businessName", c.businessName())).toList());
        rows.add(r);
      }
      m.put("organisation", t.organisation());
      m.put("yourRole", t.callerRole());
      m.put("canManage", t.canManage());
      m.put("teammates", rows);
      m.put("invites", t.invites().stream().map(i -> Map.of("name", i.name(), "email", i.email(), "role", i.role(),
          "expires", Web.humanDates(i.expiresAt()))).toList());
      m.put("values", values);
      m.put("error", error == null ? "" : error);
      return web.render(ctx, status, "team", m);
    }));
  }

  private Future<?> invite(RoutingContext ctx) {
    Principal p = PartnerPages.partner(ctx);
    Form f = new Form(ctx);
    return Web.orShowAgain(() -> teams.invite(p, new TeamService.InviteTeammate(f.get("name"), f.get("email"),
            f.get("role"))),
        de -> page(ctx, de.problem().status, f.values(), de.getMessage()),
        i -> web.redirect(ctx, "/partner/team", "ok", "Invited " + i.name() + " (" + i.email() + ") as " + i.role()
            + (i.emailSent() ? ". We emailed them a link to choose a password; it works until "
                : ". The email could not be sent; invite them again later. The invitation is valid until ")
            + Web.humanDates(i.expiresAt()) + "."))
        .recover(err -> backToTeam(ctx, err));
  }

  private Future<?> setRole(RoutingContext ctx) {
    Principal p = PartnerPages.partner(ctx);
    String role = new Form(ctx).get("role");
    return done(ctx, Web.orShowAgain(() -> teams.setRole(p, id(ctx, "userId"), role),
        de -> backToTeam(ctx, de), c -> web.redirect(ctx, "/partner/team", "ok", c.sentence())));
  }

  private Future<?> assign(RoutingContext ctx) {
    Principal p = PartnerPages.partner(ctx);
    String account = new Form(ctx).get("accountId");
    UUID accountId;
    try {
      accountId = UUID.fromString(account == null ? "" : account);
    } catch (IllegalArgumentException e) {
      return web.redirect(ctx, "/partner/team", "error", "Choose a customer to assign");
    }
    return done(ctx, teams.assign(p, id(ctx, "userId"), accountId)
        .compose(c -> web.redirect(ctx, "/partner/team", "ok", c.sentence())));
  }

  private Future<?> unassign(RoutingContext ctx) {
    Principal p = PartnerPages.partner(ctx);
    return done(ctx, teams.unassign(p, id(ctx, "userId"), id(ctx, "accountId"))
        .compose(c -> web.redirect(ctx, "/partner/team", "ok", c.sentence())));
  }

  /** The confirmation, in words, before a teammate is removed. */
  private Future<?> removePage(RoutingContext ctx) {
    Principal p = PartnerPages.partner(ctx);
    UUID userId = id(ctx, "userId");
    return teams.team(p).compose(t -> {
      if (!t.canManage()) {
        throw Problem.PARTNER_ADMIN_ONLY.exception("Only an admin of your partner organisation can remove teammates");
      }
      TeamRepository.Teammate tm = t.teammates().stream().filter(x -> x.userId().equals(userId)).findFirst()
          .orElseThrow(() -> Problem.NOT_FOUND.exception("This person is not on your team"));
      Map<String, Object> m = PartnerPages.base(ctx, "team", "Remove " + tm.name());
      m.put("userId", userId.toString());
      m.put("name", tm.name());
      m.put("organisation", t.organisation());
      m.put("you", userId.equals(p.userId()));
      return web.render(ctx, "team-remove", m);
    });
  }

  private Future<?> remove(RoutingContext ctx) {
    Principal p = PartnerPages.partner(ctx);
    UUID userId = id(ctx, "userId");
    return done(ctx, teams.remove(p, userId).compose(c -> userId.equals(p.userId())
        ? web.signOut(ctx).compose(v -> web.redirect(ctx, "/signin", "ok", c.sentence()))
        : web.redirect(ctx, "/partner/team", "ok", c.sentence())));
  }

  /** A refusal of the table (401/403) is the error page; any other refusal is told on the Team page. */
  private Future<Void> done(RoutingContext ctx, Future<?> f) {
    return f.<Void>mapEmpty().recover(err -> backToTeam(ctx, err));
  }

  private Future<Void> backToTeam(RoutingContext ctx, Throwable err) {
    if (err instanceof DomainException de && de.problem().status != 401 && de.problem().status != 403) {
      return web.redirect(ctx, "/partner/team", "error", Web.problemText(err));
    }
    return Future.failedFuture(err);
  }

  private static UUID id(RoutingContext ctx, String name) {
    try {
      return UUID.fromString(ctx.pathParam(name));
    } catch (RuntimeException e) {
      throw Problem.NOT_FOUND.exception("There is no such page");
    }
  }
}
