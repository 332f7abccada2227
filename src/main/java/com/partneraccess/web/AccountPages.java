package com.partneraccess.web;

import com.partneraccess.accounts.AccountActor;
import com.partneraccess.accounts.AccountActors;
import com.partneraccess.accounts.AccountRepository;
import com.partneraccess.accounts.StaffInviteRepository;
import com.partneraccess.accounts.StaffInvitations;
import com.partneraccess.activity.ActivityRepository;
import com.partneraccess.banner.BannerRepository;
import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import com.partneraccess.connections.ConnectionRepository;
import com.partneraccess.connections.PartnerView;
import com.partneraccess.http.Plans;
import com.partneraccess.identity.IdentityRepository;
import com.partneraccess.identity.PasswordHasher;
import com.partneraccess.identity.Principal;
import com.partneraccess.invites.InviteRepository;
import com.partneraccess.jobs.JobRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
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
import java.util.function.BiFunction;

/**
 * The customer account, for its users and for a partner logged in to it (R9: business-owner role minus
 * the owner-only areas, which are absent from the navigation and refused when typed in). Dashboard with
 * live banners, Jobs, Staff (Disable/Enable access, Disconnect wizard), Account › Login details (Enable
 * partner access), and for the owner: Activity history, Subscription, Cancel account, owner change and
 * partner invites.
 */
final class AccountPages {
  private final Vertx vertx;
  private final Web web;
  private final PasswordHasher hasher;
  private final AccountActors actors;
  private final IdentityRepository identity;
  private final AccountRepository accounts;
  private final ConnectionRepository connections;
  private final InviteRepository invites;
  private final BannerRepository banners;
  private final JobRepository jobs;
  private final ActivityRepository activity;
  private final Plans plans;

  private final StaffInvitations staffInvitations;
  private final StaffInviteRepository staffInvites;

  AccountPages(Vertx vertx, Web web, PasswordHasher hasher, AccountActors actors, IdentityRepository identity,
               AccountRepository accounts, ConnectionRepository connections, InviteRepository invites,
               BannerRepository banners, JobRepository jobs, ActivityRepository activity, Plans plans,
               StaffInvitations staffInvitations, StaffInviteRepository staffInvites) {
    this.vertx = vertx;
    this.web = web;
    this.hasher = hasher;
    this.actors = actors;
    this.identity = identity;
    this.accounts = accounts;
    this.connections = connections;
    this.invites = invites;
    this.banners = banners;
    this.jobs = jobs;
    this.activity = activity;
    this.plans = plans;
    this.staffInvitations = staffInvitations;
    this.staffInvites = staffInvites;
  }

  /** The page's view of who is inside the account, for the layout (strip, navigation). */
  public record Inside(AccountActor actor, String businessName, String partnerName, boolean partner, boolean owner,
                       boolean managesPartners, boolean canManage, boolean cancelled) {}

  private void on(PageRoutes.Mount m, boolean post, String path,
                  BiFunction<RoutingContext, Inside, Future<?>> handler) {
    io.vertx.core.Handler<RoutingContext> h = Web.page(ctx -> inside(ctx).compose(in -> handler.apply(ctx, in)));
    if (post) {
      m.post(path, h);
    } else {
      m.get(path, h);
    }
  }

  void mount(PageRoutes.Mount m) {
    on(m, false, "/app", this::dashboard);
    m.get("/app/banners.json", Web.page(ctx -> inside(ctx).compose(in -> bannersJson(ctx, in))));
    on(m, true, "/app/requests/:requestId/approve", (ctx, in) -> decide(ctx, in, true));
    on(m, true, "/app/requests/:requestId/deny", (ctx, in) -> decide(ctx, in, false));
    on(m, true, "/app/banners/:bannerId/dismiss", this::dismiss);
    on(m, false, "/app/jobs", this::jobs);
    on(m, true, "/app/jobs", this::createJobs);
    on(m, false, "/app/staff", (ctx, in) -> staff(ctx, in, 200, Map.of(), null));
    on(m, true, "/app/staff", this::addStaff);
    on(m, true, "/app/partners/:partnerId/access", this::setAccess);
    on(m, false, "/app/partners/:partnerId/disconnect", this::disconnectWizard);
    on(m, true, "/app/partners/:partnerId/disconnect", this::disconnect);
    on(m, false, "/app/account/login-details", this::loginDetails);
    on(m, true, "/app/account/partner-access", this::savePartnerAccess);
    on(m, false, "/app/activity", this::activity);
    on(m, false, "/app/subscription", this::subscription);
    on(m, true, "/app/subscription", this::changeSubscription);
    on(m, false, "/app/cancel", this::cancelPage);
    on(m, true, "/app/cancel", this::cancel);
    on(m, false, "/app/owner", this::ownerPage);
    on(m, true, "/app/owner", this::changeOwner);
    on(m, false, "/app/invites", this::invitesPage);
    on(m, true, "/app/invites/:inviteId/accept", (ctx, in) -> decideInvite(ctx, in, true));
    on(m, true, "/app/invites/:inviteId/decline", (ctx, in) -> decideInvite(ctx, in, false));
    m.post("/app/leave", Web.page(this::leave));
  }

  /**
   * Resolves who is inside: a customer user (role read fresh), or a partner whose account-scoped session
   * passes the access check on this request (R7: a disabled partner is refused on its next request).
   */
  private Future<Inside> inside(RoutingContext ctx) {
    Principal p = Web.principal(ctx);
    if (p == null) {
      return Future.failedFuture(Problem.UNAUTHENTICATED.exception("Sign in first"));
    }
    if (p.isPartner() && !p.isAccountScopedPartner()) {
      return Future.failedFuture(Problem.ACCOUNT_SCOPE_REQUIRED.exception(
          "Choose a customer on your Customers page and use Log in to open its account"));
    }
    return actors.resolve(p).compose(a -> {
      Future<String> partnerName = a.isPartner()
          ? identity.partner(a.partnerId()).map(IdentityRepository.Partner::name) : Future.succeededFuture(null);
      return partnerName.map(pn -> {
        boolean customerManager = !a.isPartner() && !"staff".equals(a.role());
        Inside in = new Inside(a, a.businessName(), pn, a.isPartner(), a.isOwner(), customerManager,
            a.isPartner() || !"staff".equals(a.role()), "cancelled".equals(a.accountStatus()));
        ctx.put("inside", in);
        return in;
      });
    });
  }

  private Map<String, Object> base(Inside in, String section, String title) {
    Map<String, Object> m = new HashMap<>();
    m.put("inside", in);
    m.put("section", section);
    m.put("title", title);
    return m;
  }

  // ---- dashboard and banners -------------------------------------------------------------------

  private Future<?> dashboard(RoutingContext ctx, Inside in) {
    Map<String, Object> m = base(in, "dashboard", "Dashboard");
    UUID accountId = in.actor().accountId();
    Future<JsonArray> bannerList = in.managesPartners() ? banners.forAccount(accountId) : Future.succeededFuture(new JsonArray());
    Future<JsonArray> inviteList = in.owner() ? invites.forAccount(accountId) : Future.succeededFuture(new JsonArray());
    return accounts.summary(accountId).compose(s -> bannerList.compose(b -> inviteList.compose(inv -> {
      m.put("summary", s.getMap());
      m.put("banners", Web.rows(b));
      m.put("pendingInvites", inv.size());
      return web.render(ctx, "dashboard", m);
    })));
  }

  /** The banners the dashboard script polls when the WebSocket is not available (R17). */
  private Future<?> bannersJson(RoutingContext ctx, Inside in) {
    JsonArray out = new JsonArray();
    Future<JsonArray> list = in.managesPartners() ? banners.forAccount(in.actor().accountId())
        : Future.succeededFuture(out);
    return list.compose(b -> ctx.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("banners", b).encode()));
  }

  private static UUID id(RoutingContext ctx, String name) {
    try {
      return UUID.fromString(ctx.pathParam(name));
    } catch (RuntimeException e) {
      throw Problem.NOT_FOUND.exception("There is no such page");
    }
  }

  private Future<Void> back(RoutingContext ctx, String to, Throwable err) {
    return err instanceof DomainException ? web.redirect(ctx, to, "error", Web.problemText(err)) : Future.failedFuture(err);
  }

  /** R16: Approve enables access (restarting the 60 days); Deny leaves it as it was. */
  private Future<?> decide(RoutingContext ctx, Inside in, boolean approve) {
    in.actor().requireCustomerManager();
    return connections.decide(in.actor().accountId(), id(ctx, "requestId"), approve, in.actor().userId())
        .compose(change -> {
          return partnerName(in.actor().accountId(), change.partnerId()).compose(name -> web.redirect(ctx, "/app", "ok",
              approve ? "Approved: " + name + " can log in to your account again."
                  : "Denied: " + name + "'s access stays as it was."));
        })
        .recover(err -> back(ctx, "/app", err));
  }

  private Future<String> partnerName(UUID accountId, UUID partnerId) {
    return identity.partner(partnerId).map(IdentityRepository.Partner::name).otherwise("the partner");
  }

  private Future<?> dismiss(RoutingContext ctx, Inside in) {
    in.actor().requireCustomerManager();
    return banners.dismissForAccount(in.actor().accountId(), id(ctx, "bannerId"))
        .compose(v -> web.redirect(ctx, "/app", "ok", "Banner dismissed."))
        .recover(err -> back(ctx, "/app", err));
  }

  // ---- jobs -------------------------------------------------------------------------------------

  private Future<?> jobs(RoutingContext ctx, Inside in) {
    return jobsPage(ctx, in, 200, Map.of(), null);
  }

  private Future<?> jobsPage(RoutingContext ctx, Inside in, int status, Map<String, String> values, String error) {
    Map<String, Object> m = base(in, "jobs", "Jobs");
    m.put("values", values);
    m.put("error", error == null ? "" : error);
    return accounts.summary(in.actor().accountId()).compose(s -> jobs.list(in.actor().accountId(), 100).compose(list -> {
      m.put("summary", s.getMap());
      m.put("jobs", Web.rows(list));
      return web.render(ctx, status, "jobs", m);
    }));
  }

  private Future<?> createJobs(RoutingContext ctx, Inside in) {
    Form f = new Form(ctx);
    String title;
    int quantity;
    try {
      title = f.required("title", "Job title");
      quantity = f.get("quantity") == null ? 1 : f.integer("quantity", "Quantity", 1, 1000);
    } catch (DomainException e) {
      return jobsPage(ctx, in, 400, f.values(), e.getMessage());
    }
    return jobs.create(in.actor(), title, quantity)
        .compose(r -> web.redirect(ctx, "/app/jobs", "ok", (quantity == 1 ? "Created the job " + title
            : "Created " + quantity + " jobs") + ". The account has " + r.getInteger("jobCount") + " jobs."))
        .recover(Web.showAgain(de -> jobsPage(ctx, in, de.problem().status, f.values(), de.getMessage())));
  }

  // ---- staff and partners -------------------------------------------------------------------------

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

  private Future<?> staff(RoutingContext ctx, Inside in, int status, Map<String, String> values, String error) {
    Map<String, Object> m = base(in, "staff", "Staff");
    m.put("values", values);
    m.put("error", error == null ? "" : error);
    UUID accountId = in.actor().accountId();
    return accounts.staff(accountId).compose(staff -> connections.partnersOf(accountId).compose(partners ->
        staffInvites.pending(accountId).compose(invited -> {
          List<PartnerRow> rows = new ArrayList<>();
          partners.forEach(p -> rows.add(row(p)));
          m.put("staff", Web.rows(staff));
          m.put("invited", Web.rows(invited));
          m.put("partners", rows);
          return web.render(ctx, status, "staff", m);
        })));
  }

  private Future<?> addStaff(RoutingContext ctx, Inside in) {
    Form f = new Form(ctx);
    String name;
    String email;
    String password;
    String role;
    try {
      in.actor().requireManage();
      name = f.required("name", "Name");
      email = f.email("email", "Email", true);
      password = f.password("password", "Password", false);
      role = f.required("role", "Role");
      if (!role.equals("admin") && !role.equals("staff")) {
        throw Problem.VALIDATION_FAILED.exception("Role must be admin or staff");
      }
    } catch (DomainException e) {
      return staff(ctx, in, e.problem().status, f.values(), e.getMessage());
    }
    Future<String> done = password == null
        ? staffInvitations.invite(in.actor(), name, email, role).map(inv -> inv.getBoolean("emailSent")
            ? "Invited " + name + " as " + role + ": we emailed " + email + " a link to choose a password."
            : "Invited " + name + " as " + role + ", but the email to " + email + " could not be sent; try again later.")
        : hasher.hash(password).compose(h -> accounts.addStaff(in.actor(), new AccountRepository.NewUser(name, email, h), role))
            .map(id -> "Added " + name + " as " + role + ".");
    return done.compose(text -> web.redirect(ctx, "/app/staff", "ok", text))
        .recover(Web.showAgain(de -> staff(ctx, in, de.problem().status, f.values(), de.getMessage())));
  }

  /** R7: Disable access / Enable access from the staff list. */
  private Future<?> setAccess(RoutingContext ctx, Inside in) {
    in.actor().requireCustomerManager();
    UUID partnerId = id(ctx, "partnerId");
    boolean enable = "true".equals(ctx.request().getFormAttribute("enabled"));
    return connections.setAccess(in.actor().accountId(), partnerId, enable, in.actor().userId())
        .compose(change -> {
          return partnerName(in.actor().accountId(), partnerId).compose(name -> web.redirect(ctx, "/app/staff", "ok",
              enable ? "Enabled access for " + name + ": they can log in to your account."
                  : "Disabled access for " + name + ": they stay connected but cannot log in until you enable it."));
        })
        .recover(err -> back(ctx, "/app/staff", err));
  }

  private Future<PartnerView> connectedPartner(UUID accountId, UUID partnerId) {
    return connections.partnersOf(accountId).map(list -> list.stream().filter(p -> p.partnerId().equals(partnerId))
        .findFirst().orElseThrow(() -> Problem.NOT_CONNECTED.exception("This partner is not connected to your account")));
  }

  /** R18: the disconnection wizard: what the partner loses, an optional reason, confirm. */
  private Future<?> disconnectWizard(RoutingContext ctx, Inside in) {
    in.actor().requireCustomerManager();
    UUID partnerId = id(ctx, "partnerId");
    return connectedPartner(in.actor().accountId(), partnerId).compose(p -> {
      Map<String, Object> m = base(in, "staff", "Disconnect " + p.name());
      m.put("partner", row(p));
      return web.render(ctx, "disconnect", m);
    });
  }

  /** R18/R19: disconnects the partner completely. */
  private Future<?> disconnect(RoutingContext ctx, Inside in) {
    in.actor().requireCustomerManager();
    UUID partnerId = id(ctx, "partnerId");
    String reason = new Form(ctx).get("reason");
    if (reason != null && reason.length() > 500) {
      reason = reason.substring(0, 500);
    }
    return connections.disconnect(in.actor().accountId(), partnerId, true, reason, in.actor().userId())
        .compose(change -> {
          return partnerName(in.actor().accountId(), partnerId).compose(name -> web.redirect(ctx, "/app/staff", "ok",
              "Disconnected " + name + ". They have left your staff list and can only reconnect with a new invite."));
        })
        .recover(err -> back(ctx, "/app/staff", err));
  }

  /** Account › Login details with the Enable partner access section (R7). */
  private Future<?> loginDetails(RoutingContext ctx, Inside in) {
    Map<String, Object> m = base(in, "login", "Login details");
    UUID accountId = in.actor().accountId();
    return accounts.summary(accountId).compose(s -> connections.partnersOf(accountId).compose(partners -> {
      List<PartnerRow> rows = new ArrayList<>();
      partners.forEach(p -> rows.add(row(p)));
      m.put("summary", s.getMap());
      m.put("partners", rows);
      m.put("editing", "1".equals(ctx.request().getParam("edit")) || rows.size() > 0);
      return web.render(ctx, "login-details", m);
    }));
  }

  /** Save of "Allow <partner> to login to your account?": changes only the partners whose box changed. */
  private Future<?> savePartnerAccess(RoutingContext ctx, Inside in) {
    in.actor().requireCustomerManager();
    UUID accountId = in.actor().accountId();
    Set<String> allowed = new HashSet<>(ctx.request().formAttributes().getAll("allow"));
    return connections.partnersOf(accountId).compose(partners -> {
      Future<List<String>> chain = Future.succeededFuture(new ArrayList<>());
      for (PartnerView p : partners) {
        boolean want = allowed.contains(p.partnerId().toString());
        boolean has = "enabled".equals(p.access());
        if (want == has) {
          continue;
        }
        chain = chain.compose(done -> connections.setAccess(accountId, p.partnerId(), want, in.actor().userId())
            .map(change -> {
              done.add((want ? p.name() + " can now log in to your account" : p.name() + " can no longer log in"));
              return done;
            }));
      }
      return chain;
    }).compose(done -> web.redirect(ctx, "/app/account/login-details", "ok",
            done.isEmpty() ? "Saved. Nothing changed." : "Saved: " + String.join("; ", done) + "."))
        .recover(err -> back(ctx, "/app/account/login-details", err));
  }

  // ---- owner only (R9, R23, R2) -----------------------------------------------------------------------

  private Future<?> activity(RoutingContext ctx, Inside in) {
    in.actor().requireOwner();
    Long before = null;
    String b = ctx.request().getParam("before");
    if (b != null && b.matches("\\d{1,18}")) {
      before = Long.parseLong(b);
    }
    Map<String, Object> m = base(in, "activity", "Activity history");
    return activity.page(in.actor().accountId(), before, 50).compose(list -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      Long last = null;
      for (Object o : list) {
        JsonObject j = (JsonObject) o;
        Map<String, Object> r = new HashMap<>(j.getMap());
        r.put("when", Web.humanDates(j.getString("at")) + " " + j.getString("at").substring(11, 16));
        rows.add(r);
        last = j.getLong("id");
      }
      m.put("entries", rows);
      m.put("older", list.size() == 50 ? last : null);
      return web.render(ctx, "activity", m);
    });
  }

  private Future<?> subscription(RoutingContext ctx, Inside in) {
    in.actor().requireOwner();
    Map<String, Object> m = base(in, "subscription", "Subscription");
    return accounts.summary(in.actor().accountId()).compose(s -> {
      List<Map<String, Object>> options = new ArrayList<>();
      plans.prices().forEach((k, v) -> options.add(Map.of("name", k, "price", v.toPlainString())));
      m.put("summary", s.getMap());
      m.put("plans", options);
      return web.render(ctx, "subscription", m);
    });
  }

  private Future<?> changeSubscription(RoutingContext ctx, Inside in) {
    in.actor().requireOwner();
    String plan = plans.require(new Form(ctx).get("plan"));
    return accounts.changePlan(in.actor(), plan)
        .compose(p -> web.redirect(ctx, "/app/subscription", "ok", "Your subscription is now " + p + "."))
        .recover(err -> back(ctx, "/app/subscription", err));
  }

  private Future<?> cancelPage(RoutingContext ctx, Inside in) {
    in.actor().requireOwner();
    return web.render(ctx, "cancel", base(in, "cancel", "Cancel account"));
  }

  private Future<?> cancel(RoutingContext ctx, Inside in) {
    in.actor().requireOwner();
    Form f = new Form(ctx);
    if (!"yes".equals(f.get("confirm"))) {
      return web.redirect(ctx, "/app/cancel", "error", "Tick the box to confirm that you want to cancel the account.");
    }
    return accounts.cancel(in.actor(), f.get("reason"))
        .compose(v -> web.redirect(ctx, "/app", "ok", "Your account is cancelled."))
        .recover(err -> back(ctx, "/app/cancel", err));
  }

  private Future<?> ownerPage(RoutingContext ctx, Inside in) {
    in.actor().requireOwner();
    Map<String, Object> m = base(in, "owner", "Account owner");
    return accounts.staff(in.actor().accountId()).compose(staff -> {
      List<Object> others = new ArrayList<>();
      for (Object o : staff) {
        JsonObject j = (JsonObject) o;
        if (!"owner".equals(j.getString("role"))) {
          others.add(j.getMap());
        }
      }
      m.put("candidates", others);
      return web.render(ctx, "owner", m);
    });
  }

  private Future<?> changeOwner(RoutingContext ctx, Inside in) {
    in.actor().requireOwner();
    String userId = new Form(ctx).get("userId");
    UUID id;
    try {
      id = UUID.fromString(userId == null ? "" : userId);
    } catch (IllegalArgumentException e) {
      return web.redirect(ctx, "/app/owner", "error", "Choose the user who becomes the owner.");
    }
    return accounts.changeOwner(in.actor(), id)
        .compose(v -> web.redirect(ctx, "/app", "ok", "Ownership handed over; you are now an admin."))
        .recover(err -> back(ctx, "/app/owner", err));
  }

  private Future<?> invitesPage(RoutingContext ctx, Inside in) {
    in.actor().requireOwner();
    Map<String, Object> m = base(in, "invites", "Partner invites");
    return invites.forAccount(in.actor().accountId()).compose(list -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Object o : list) {
        JsonObject j = (JsonObject) o;
        Map<String, Object> r = new HashMap<>(j.getMap());
        r.put("expires", Web.day(Instant.parse(j.getString("expiresAt"))));
        rows.add(r);
      }
      m.put("invites", rows);
      return web.render(ctx, "invites", m);
    });
  }

  /** R2: only the owner accepts or declines a partner invite. */
  private Future<?> decideInvite(RoutingContext ctx, Inside in, boolean accept) {
    in.actor().requireOwner();
    return invites.decide(in.actor().accountId(), id(ctx, "inviteId"), accept, in.actor().userId())
        .compose(partnerId -> partnerName(in.actor().accountId(), partnerId).compose(name -> web.redirect(ctx,
            "/app/invites", "ok", accept ? "Accepted: " + name + " is connected and can log in to your account."
                : "Declined the invite from " + name + ".")))
        .recover(err -> back(ctx, "/app/invites", err));
  }

  // ---- leaving -----------------------------------------------------------------------------------------

  /** The strip's Leave: the partner's session goes back to the portal. */
  private Future<?> leave(RoutingContext ctx) {
    Principal p = Web.principal(ctx);
    if (p == null || !p.isPartner()) {
      return web.redirect(ctx, "/");
    }
    web.signIn(ctx, new Principal(p.userId(), Principal.Kind.PARTNER, null, null, p.partnerId(), p.name()));
    return web.redirect(ctx, "/partner/customers", "ok", "You left the customer's account.");
  }
}
