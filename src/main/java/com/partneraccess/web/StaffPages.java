package com.partneraccess.web;

import com.partneraccess.accounts.AccountService;
import com.partneraccess.bus.DomainException;
import com.partneraccess.connections.AccessRequestService;
import com.partneraccess.connections.ConnectionService;
import com.partneraccess.connections.PartnerView;
import com.partneraccess.invites.InviteService;
import com.partneraccess.web.InsideAccount.Inside;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static com.partneraccess.web.InsideAccount.base;
import static com.partneraccess.web.InsideAccount.id;

/**
 * The account's people and partners: Staff (staff and partners, add staff, Disable/Enable access, the
 * Disconnect wizard), Account › Login details (Enable partner access, R7), access requests from the banners
 * (R16) and partner invites (R2). Thin: parse, call the feature service, redirect with a sentence.
 */
final class StaffPages {
  private final Web web;
  private final InsideAccount inside;
  private final AccountService accounts;
  private final ConnectionService connections;
  private final AccessRequestService requests;
  private final InviteService invites;

  StaffPages(Web web, InsideAccount inside, AccountService accounts, ConnectionService connections,
             AccessRequestService requests, InviteService invites) {
    this.web = web;
    this.inside = inside;
    this.accounts = accounts;
    this.connections = connections;
    this.requests = requests;
    this.invites = invites;
  }

  void mount(PageRoutes.Mount m) {
    m.post("/app/requests/:requestId/approve", inside.page((ctx, in) -> decide(ctx, in, true)));
    m.post("/app/requests/:requestId/deny", inside.page((ctx, in) -> decide(ctx, in, false)));
    m.get("/app/staff", inside.page((ctx, in) -> staff(ctx, in, 200, Map.of(), null)));
    m.post("/app/staff", inside.page(this::addStaff));
    m.post("/app/staff/:userId/confirm", inside.page(this::confirmStaff));
    m.post("/app/partners/:partnerId/access", inside.page(this::setAccess));
    m.get("/app/partners/:partnerId/disconnect", inside.page(this::disconnectWizard));
    m.post("/app/partners/:partnerId/disconnect", inside.page(this::disconnect));
    m.get("/app/account/login-details", inside.page(this::loginDetails));
    m.post("/app/account/partner-access", inside.page(this::savePartnerAccess));
    m.get("/app/invites", inside.page(this::invitesPage));
    m.get("/app/invites/:inviteId", inside.page(this::reviewInvite));
    m.post("/app/invites/:inviteId/accept", inside.page((ctx, in) -> decideInvite(ctx, in, true)));
    m.post("/app/invites/:inviteId/decline", inside.page((ctx, in) -> decideInvite(ctx, in, false)));
  }

  private Future<Void> back(RoutingContext ctx, String to, Throwable err) {
    return err instanceof DomainException ? web.redirect(ctx, to, "error", Web.problemText(err)) : Future.failedFuture(err);
  }

  /**
   * R16/R29: Approve enables access (restarting the 60 days) for the length asked for, or for the one chosen in the
   * banner's form; Deny leaves it as it was.
   */
  private Future<?> decide(RoutingContext ctx, Inside in, boolean approve) {
    return requests.decide(in.actor(), id(ctx, "requestId"), approve, approve ? new Form(ctx).get("length") : null)
        .compose(o -> web.redirect(ctx, "/app", approve ? "ok" : "warning", approve
            ? "Approved: " + o.partnerName() + " can log in to your account again"
              + (o.change().expiresAt() == null ? "." : " until " + Web.humanDates(o.change().expiresAt()) + ".")
            : "Denied: " + o.partnerName() + "'s access stays as it was."))
        .recover(err -> back(ctx, "/app", err));
  }

  /** A partner as the staff list shows it, with its words computed here. */
  public record PartnerRow(String partnerId, String name, String access, String accessLabel, String expiryText,
                           boolean enabled, boolean requested) {}

  static PartnerRow row(PartnerView v) {
    String expiry = switch (v.access()) {
      case "enabled" -> v.daysUntilExpiry() == null ? "No expiry yet"
          : "Expires in " + v.daysUntilExpiry() + (v.daysUntilExpiry() == 1 ? " day" : " days");
      case "expired" -> v.expiresAt() == null ? "Expired" : "Expired on " + Web.day(v.expiresAt());
      default -> "Access is off";
    };
    return new PartnerRow(v.partnerId().toString(), v.name(), v.access(),
        v.access().substring(0, 1).toUpperCase() + v.access().substring(1), expiry, "enabled".equals(v.access()),
        v.pendingRequestId() != null);
  }

  private static List<PartnerRow> rows(List<PartnerView> partners) {
    List<PartnerRow> rows = new ArrayList<>();
    partners.forEach(p -> rows.add(row(p)));
    return rows;
  }

  private Future<?> staff(RoutingContext ctx, Inside in, int status, Map<String, String> values, String error) {
    Map<String, Object> m = base(in, "staff", "Staff");
    m.put("values", values);
    m.put("error", error == null ? "" : error);
    return accounts.staff(in.actor()).compose(list -> {
      m.put("staff", Web.rows(list.users()));
      m.put("invited", Web.rows(list.invited()));
      m.put("partners", rows(list.partners()));
      return web.render(ctx, status, "staff", m);
    });
  }

  private Future<?> addStaff(RoutingContext ctx, Inside in) {
    Form f = new Form(ctx);
    String password = ctx.request().getFormAttribute("password");
    return accounts.addStaff(in.actor(), new AccountService.AddStaff(f.get("name"), f.get("email"), f.get("role"),
            password))
        .map(a -> !a.invited() ? "Added " + a.name() + " as " + a.role() + "."
            : Boolean.TRUE.equals(a.invitation().getBoolean("emailSent"))
                ? "Invited " + a.name() + " as " + a.role() + ": we emailed " + a.email() + " a link to choose a password."
                : "Invited " + a.name() + " as " + a.role() + ", but the email to " + a.email()
                    + " could not be sent; try again later.")
        .compose(text -> web.redirect(ctx, "/app/staff", "ok", text))
        .recover(Web.showAgain(de -> staff(ctx, in, de.problem().status, f.values(), de.getMessage())));
  }

  /** R24: the owner confirms a user a partner added; they no longer follow the partner's access. */
  private Future<?> confirmStaff(RoutingContext ctx, Inside in) {
    return accounts.confirmStaff(in.actor(), id(ctx, "userId"))
        .compose(name -> web.redirect(ctx, "/app/staff", "ok", "Confirmed " + name
            + ": their access no longer depends on the partner who added them."))
        .recover(err -> back(ctx, "/app/staff", err));
  }

  /** R7: Disable access / Enable access from the staff list. */
  private Future<?> setAccess(RoutingContext ctx, Inside in) {
    boolean enable = "true".equals(ctx.request().getFormAttribute("enabled"));
    return connections.setAccess(in.actor(), new ConnectionService.SetAccess(id(ctx, "partnerId"), enable))
        .compose(o -> web.redirect(ctx, "/app/staff", enable ? "ok" : "warning", enable
            ? "Enabled access for " + o.partnerName() + ": they can log in to your account."
            : "Disabled access for " + o.partnerName() + ": they stay connected but cannot log in until you enable it."))
        .recover(err -> back(ctx, "/app/staff", err));
  }

  /** R18: the disconnection wizard: what the partner loses, an optional reason, confirm. */
  private Future<?> disconnectWizard(RoutingContext ctx, Inside in) {
    return wizard(ctx, in, 200, null, null);
  }

  private Future<?> wizard(RoutingContext ctx, Inside in, int status, String reason, String error) {
    return connections.partner(in.actor(), id(ctx, "partnerId")).compose(p -> {
      Map<String, Object> m = base(in, "staff", "Disconnect " + p.name());
      m.put("partner", row(p));
      m.put("reason", reason == null ? "" : reason);
      m.put("error", error == null ? "" : error);
      return web.render(ctx, status, "disconnect", m);
    });
  }

  /** R18/R19: disconnects the partner completely (a reason over 500 characters is refused, as by the API). */
  private Future<?> disconnect(RoutingContext ctx, Inside in) {
    UUID partnerId = id(ctx, "partnerId");
    String reason = new Form(ctx).get("reason");
    return Web.orShowAgain(() -> connections.disconnect(in.actor(), new ConnectionService.Disconnect(partnerId, reason)),
            de -> wizard(ctx, in, de.problem().status, reason, de.getMessage()),
            o -> web.redirect(ctx, "/app/staff", "danger", "Disconnected " + o.partnerName()
                + ". They have left your staff list and can only reconnect with a new invite."))
        .recover(err -> back(ctx, "/app/staff", err));
  }

  /** Account › Login details with the Enable partner access section (R7). */
  private Future<?> loginDetails(RoutingContext ctx, Inside in) {
    Map<String, Object> m = base(in, "login", "Login details");
    return accounts.summary(in.actor()).compose(s -> connections.partners(in.actor()).compose(partners -> {
      List<PartnerRow> rows = rows(partners);
      m.put("summary", s.getMap());
      m.put("partners", rows);
      m.put("editing", "1".equals(ctx.request().getParam("edit")) || !rows.isEmpty());
      return web.render(ctx, "login-details", m);
    }));
  }

  /** Save of "Allow <partner> to login to your account?": changes only the partners whose box changed. */
  private Future<?> savePartnerAccess(RoutingContext ctx, Inside in) {
    Set<UUID> allowed = new HashSet<>();
    for (String v : ctx.request().formAttributes().getAll("allow")) {
      try {
        allowed.add(UUID.fromString(v));
      } catch (IllegalArgumentException ignored) {
        // not one of the boxes the page offered: nothing to allow
      }
    }
    return connections.saveAllowed(in.actor(), allowed).compose(done -> {
      List<String> words = new ArrayList<>();
      done.forEach(o -> words.add("enabled".equals(o.change().access())
          ? o.partnerName() + " can now log in to your account" : o.partnerName() + " can no longer log in"));
      boolean lost = done.stream().anyMatch(o -> !"enabled".equals(o.change().access()));
      return web.redirect(ctx, "/app/account/login-details", lost ? "warning" : "ok",
          words.isEmpty() ? "Saved. Nothing changed." : "Saved: " + String.join("; ", words) + ".");
    }).recover(err -> back(ctx, "/app/account/login-details", err));
  }

  private Future<?> invitesPage(RoutingContext ctx, Inside in) {
    Map<String, Object> m = base(in, "invites", "Partner invites");
    return invites.forAccount(in.actor(), new InviteService.PageRequest(null, ctx.request().getParam("cursor")))
        .compose(page -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      m.put("nextCursor", page.nextCursor());
      for (Object o : page.invites()) {
        JsonObject j = (JsonObject) o;
        Map<String, Object> r = new HashMap<>(j.getMap());
        r.put("expires", Web.day(Instant.parse(j.getString("expiresAt"))));
        r.put("expired", "expired".equals(j.getString("status")));
        rows.add(r);
      }
      m.put("invites", rows);
      return web.render(ctx, "invites", m);
    });
  }

  /**
   * R2/R9: one invite, with what accepting lets the partner do and not do (from the permission table) and how its
   * access expires; the owner accepts or declines here (the e-mail links here).
   */
  private Future<?> reviewInvite(RoutingContext ctx, Inside in) {
    return invites.review(in.actor(), id(ctx, "inviteId")).compose(r -> {
      Map<String, Object> m = base(in, "invites", "Invite from " + r.invite().getString("partnerName"));
      m.put("invite", r.invite().getMap());
      m.put("expires", Web.day(Instant.parse(r.invite().getString("expiresAt"))));
      m.put("expired", "expired".equals(r.invite().getString("status")));
      m.put("can", r.can());
      m.put("cannot", r.cannot());
      m.put("expiryDays", r.expiryDays());
      m.put("jobThreshold", r.jobThreshold());
      return web.render(ctx, "invite-review", m);
    });
  }

  /** R2: only the owner accepts or declines a partner invite. */
  private Future<?> decideInvite(RoutingContext ctx, Inside in, boolean accept) {
    return invites.decide(in.actor(), id(ctx, "inviteId"), accept)
        .compose(connections::partnerName)
        .compose(name -> web.redirect(ctx, "/app/invites", "ok", accept
            ? "Accepted: " + name + " is connected and can log in to your account."
            : "Declined the invite from " + name + "."))
        .recover(err -> back(ctx, "/app/invites", err));
  }
}
