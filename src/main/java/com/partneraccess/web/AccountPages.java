package com.partneraccess.web;

import com.partneraccess.accounts.AccountService;
import com.partneraccess.activity.ActivityEntry;
import com.partneraccess.activity.ActivityService;
import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Principal;
import com.partneraccess.banner.Banner;
import com.partneraccess.banner.BannerService;
import com.partneraccess.bus.Cursor;
import com.partneraccess.bus.DomainException;
import com.partneraccess.invites.InviteService;
import com.partneraccess.commission.Plans;
import com.partneraccess.jobs.JobService;
import com.partneraccess.web.InsideAccount.Inside;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.partneraccess.web.InsideAccount.base;

/**
 * The customer account's own pages, for its users and for a partner logged in to it (R9: business-owner
 * role minus the owner-only areas, absent from the navigation and refused when typed in): the dashboard
 * with live banners, Jobs, and for the owner Activity history, Subscription, Cancel account and owner
 * change. Thin: parse the form, call the feature service, render or redirect with a sentence.
 */
final class AccountPages {
  private final Web web;
  private final InsideAccount inside;
  private final AccountService accounts;
  private final InviteService invites;
  private final BannerService banners;
  private final JobService jobs;
  private final ActivityService activity;

  AccountPages(Web web, InsideAccount inside, AccountService accounts, InviteService invites, BannerService banners,
               JobService jobs, ActivityService activity) {
    this.web = web;
    this.inside = inside;
    this.accounts = accounts;
    this.invites = invites;
    this.banners = banners;
    this.jobs = jobs;
    this.activity = activity;
  }

  void mount(PageRoutes.Mount m) {
    m.get("/app", inside.page(this::dashboard));
    m.get("/app/banners.json", inside.page(this::bannersJson));
    m.post("/app/banners/:bannerId/dismiss", inside.page(this::dismiss));
    m.get("/app/jobs", inside.page((ctx, in) -> jobsPage(ctx, in, 200, Map.of(), null)));
    m.post("/app/jobs", inside.page(this::createJobs));
    m.get("/app/activity", inside.page(this::activity));
    m.get("/app/subscription", inside.page(this::subscription));
    m.post("/app/subscription", inside.page(this::changeSubscription));
    m.get("/app/cancel", inside.page(this::cancelPage));
    m.post("/app/cancel", inside.page(this::cancel));
    m.get("/app/owner", inside.page(this::ownerPage));
    m.post("/app/owner", inside.page(this::changeOwner));
    m.post("/app/leave", Web.page(this::leave));
  }

  private Future<Void> back(RoutingContext ctx, String to, Throwable err) {
    return err instanceof DomainException ? web.redirect(ctx, to, "error", Web.problemText(err)) : Future.failedFuture(err);
  }

  // ---- dashboard and banners -------------------------------------------------------------------

  private Future<?> dashboard(RoutingContext ctx, Inside in) {
    Map<String, Object> m = base(in, "dashboard", "Dashboard");
    Future<List<Banner>> bannerList = in.managesPartners()
        ? banners.forAccount(in.actor(), Cursor.PageRequest.FIRST).map(page -> page.banners())
        : Future.succeededFuture(List.of());
    Future<JsonArray> inviteList = in.seesInvites() ? invites.forAccount(in.actor(), InviteService.PageRequest.FIRST)
        .map(page -> page.invites()) : Future.succeededFuture(new JsonArray());
    return accounts.summary(in.actor()).compose(s -> bannerList.compose(b -> inviteList.compose(inv -> {
      m.put("summary", s.getMap());
      m.put("banners", b);
      m.put("lengths", PartnerPages.lengthChoices());
      m.put("pendingInvites", inv.size());
      return web.render(ctx, "dashboard", m);
    })));
  }

  /** The banners the dashboard script polls when the WebSocket is not available (R17); same rule as the API. */
  private Future<?> bannersJson(RoutingContext ctx, Inside in) {
    return banners.forAccount(in.actor(), Cursor.PageRequest.FIRST).map(page -> page.banners()).compose(b -> {
      JsonArray list = new JsonArray();
      b.forEach(banner -> list.add(banner.toJson()));
      return ctx.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("banners", list).encode());
    });
  }

  private Future<?> dismiss(RoutingContext ctx, Inside in) {
    return banners.dismiss(in.actor(), InsideAccount.id(ctx, "bannerId"))
        .compose(v -> web.redirect(ctx, "/app", "ok", "Banner dismissed."))
        .recover(err -> back(ctx, "/app", err));
  }

  // ---- jobs -------------------------------------------------------------------------------------

  /** The page sizes the Jobs and Activity pages offer (the service takes 1 to its maximum). */
  static final List<Integer> PAGE_SIZES = List.of(25, 50, 100);

  /** Jobs: the same {@link JobService#list} as {@code GET /account/jobs}, filters and page from the query string. */
  private Future<?> jobsPage(RoutingContext ctx, Inside in, int status, Map<String, String> values, String error) {
    Map<String, Object> m = base(in, "jobs", "Jobs");
    m.put("values", values);
    m.put("error", error == null ? "" : error);
    JobService.ListJobs asked = new JobService.ListJobs(param(ctx, "person"), param(ctx, "from"), param(ctx, "to"),
        pageSize(ctx), param(ctx, "cursor"));
    return jobs.list(in.actor(), asked).compose(page -> accounts.summary(in.actor())
        .compose(s -> jobs.people(in.actor()).compose(people -> {
          m.put("summary", s.getMap());
          m.put("jobs", page.jobs());
          m.put("filters", filterModel(ctx, people));
          m.put("next", page.nextCursor() == null ? null : pageHref(ctx, "/app/jobs", page.nextCursor()));
          m.put("first", param(ctx, "cursor") == null ? null : pageHref(ctx, "/app/jobs", null));
          return web.render(ctx, status, "jobs", m);
        })));
  }

  private static String param(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** The page-size selector: a whole number, else a 400 with the reason (the service checks the range). */
  private static Integer pageSize(RoutingContext ctx) {
    String v = param(ctx, "limit");
    if (v == null) {
      return null;
    }
    try {
      return Integer.valueOf(v);
    } catch (NumberFormatException e) {
      throw com.partneraccess.bus.Problem.VALIDATION_FAILED.exception("limit must be a whole number");
    }
  }

  /** The filter form's current values and choices (person, from, to, page size; kind on the Activity page). */
  private static Map<String, Object> filterModel(RoutingContext ctx, List<com.partneraccess.jobs.JobRepository.PersonOption> people) {
    Map<String, Object> f = new HashMap<>();
    String person = param(ctx, "person");
    f.put("person", person == null ? "" : person);
    f.put("kind", param(ctx, "kind") == null ? "" : param(ctx, "kind"));
    f.put("from", param(ctx, "from") == null ? "" : param(ctx, "from"));
    f.put("to", param(ctx, "to") == null ? "" : param(ctx, "to"));
    f.put("limit", param(ctx, "limit") == null ? "50" : param(ctx, "limit"));
    f.put("sizes", PAGE_SIZES.stream().map(String::valueOf).toList());
    f.put("people", people.stream().map(p -> Map.of("param", p.param(),
        "label", p.name() + ("partner".equals(p.kind()) ? " (partner)" : ""))).toList());
    f.put("kinds", com.partneraccess.activity.ActivityQuery.KIND_GROUPS);
    return f;
  }

  /** The same list with the same filters, at {@code cursor} (null: the first page). */
  private static String pageHref(RoutingContext ctx, String path, String cursor) {
    StringBuilder b = new StringBuilder(path).append('?');
    for (String name : List.of("person", "kind", "from", "to", "limit")) {
      String v = param(ctx, name);
      if (v != null) {
        b.append(name).append('=').append(Web.enc(v)).append('&');
      }
    }
    if (cursor != null) {
      b.append("cursor=").append(Web.enc(cursor));
    }
    String href = b.toString();
    return href.endsWith("&") || href.endsWith("?") ? href.substring(0, href.length() - 1) : href;
  }

  private Future<?> createJobs(RoutingContext ctx, Inside in) {
    Form f = new Form(ctx);
    String title = f.get("title");
    String quantityText = f.get("quantity");
    Integer quantity;
    try {
      quantity = quantityText == null ? null : Integer.valueOf(quantityText);
    } catch (NumberFormatException e) {
      return jobsPage(ctx, in, 400, f.values(), "Quantity must be a whole number");
    }
    return jobs.create(in.actor(), new JobService.CreateJobs(title, quantity))
        .compose(r -> web.redirect(ctx, "/app/jobs", "ok", (r.created() == 1 ? "Created the job " + title
            : "Created " + r.created() + " jobs") + ". The account has " + r.jobCount() + " jobs."))
        .recover(Web.showAgain(de -> jobsPage(ctx, in, de.problem().status, f.values(), de.getMessage())));
  }

  // ---- owner only (R9, R23) ---------------------------------------------------------------------------

  /** R23: the same {@link ActivityService#page} as {@code GET /account/activity}; times in the viewer's zone. */
  private Future<?> activity(RoutingContext ctx, Inside in) {
    Map<String, Object> m = base(in, "activity", "Activity history");
    ActivityService.ListActivity asked = new ActivityService.ListActivity(param(ctx, "person"), param(ctx, "kind"),
        param(ctx, "from"), param(ctx, "to"), pageSize(ctx), param(ctx, "cursor"), null);
    return activity.page(in.actor(), asked).compose(page -> jobs.people(in.actor()).compose(people -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (ActivityEntry e : page.entries()) {
        Map<String, Object> r = new HashMap<>();
        r.put("at", e.at());
        r.put("when", Web.humanDates(e.at()) + " " + e.at().substring(11, 16) + " UTC");
        r.put("summary", e.summary());
        r.put("user", e.user());
        r.put("partner", e.partner());
        r.put("actor", e.actor());
        rows.add(r);
      }
      m.put("entries", rows);
      m.put("filters", filterModel(ctx, people));
      m.put("next", page.nextCursor() == null ? null : pageHref(ctx, "/app/activity", page.nextCursor()));
      m.put("first", param(ctx, "cursor") == null ? null : pageHref(ctx, "/app/activity", null));
      return web.render(ctx, "activity", m);
    }));
  }

  private Future<?> subscription(RoutingContext ctx, Inside in) {
    Map<String, Object> m = base(in, "subscription", "Subscription");
    // the subscription already carries the plan and status the page shows: one read of the account, not two
    return accounts.subscription(in.actor()).compose(sub -> {
      List<Map<String, Object>> options = new ArrayList<>();
      sub.prices().forEach((k, v) -> options.add(Map.of("name", k, "price", Plans.money(v, accounts.plans().currency()))));
      m.put("summary", sub);
      m.put("plans", options);
      return web.render(ctx, "subscription", m);
    });
  }

  private Future<?> changeSubscription(RoutingContext ctx, Inside in) {
    return accounts.changePlan(in.actor(), new Form(ctx).get("plan"))
        .compose(s -> web.redirect(ctx, "/app/subscription", "ok", "Your subscription is now " + s.plan() + "."))
        .recover(err -> back(ctx, "/app/subscription", err));
  }

  private Future<?> cancelPage(RoutingContext ctx, Inside in) {
    return cancelForm(ctx, in, 200, null, null);
  }

  private Future<?> cancelForm(RoutingContext ctx, Inside in, int status, String reason, String error) {
    Permissions.require(in.actor(), Operation.CANCEL_ACCOUNT);
    Map<String, Object> m = base(in, "cancel", "Cancel account");
    m.put("reason", reason == null ? "" : reason);
    m.put("error", error == null ? "" : error);
    return web.render(ctx, status, "cancel", m);
  }

  private Future<?> cancel(RoutingContext ctx, Inside in) {
    Form f = new Form(ctx);
    if (!"yes".equals(f.get("confirm"))) {
      Permissions.require(in.actor(), Operation.CANCEL_ACCOUNT);
      return web.redirect(ctx, "/app/cancel", "error", "Tick the box to confirm that you want to cancel the account.");
    }
    String reason = f.get("reason");
    return Web.orShowAgain(() -> accounts.cancel(in.actor(), reason),
            de -> cancelForm(ctx, in, de.problem().status, reason, de.getMessage()),
            v -> web.redirect(ctx, "/app", "danger", "Your account is cancelled."))
        .recover(err -> back(ctx, "/app/cancel", err));
  }

  private Future<?> ownerPage(RoutingContext ctx, Inside in) {
    Permissions.require(in.actor(), Operation.CHANGE_OWNER);
    Map<String, Object> m = base(in, "owner", "Account owner");
    return accounts.staff(in.actor()).compose(staff -> {
      List<Object> others = new ArrayList<>();
      for (Object o : staff.users()) {
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
    String userId = new Form(ctx).get("userId");
    UUID id;
    try {
      id = userId == null ? null : UUID.fromString(userId);
    } catch (IllegalArgumentException e) {
      id = null;
    }
    return accounts.changeOwner(in.actor(), id)
        .compose(v -> web.redirect(ctx, "/app", "ok", "Ownership handed over; you are now an admin."))
        .recover(err -> back(ctx, "/app/owner", err));
  }

  // ---- leaving -----------------------------------------------------------------------------------------

  /** The strip's Leave: the partner's session goes back to the portal. */
  private Future<?> leave(RoutingContext ctx) {
    Principal p = Web.principal(ctx);
    if (p == null || !p.isPartner()) {
      return web.redirect(ctx, "/");
    }
    web.signIn(ctx, p.unscoped());
    return web.redirect(ctx, "/partner/customers", "ok", "You left the customer's account.");
  }
}
