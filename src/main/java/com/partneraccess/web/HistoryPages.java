package com.partneraccess.web;

import com.partneraccess.activity.AccessAtMoment;
import com.partneraccess.activity.ActivityEntry;
import com.partneraccess.activity.ActivityService;
import com.partneraccess.activity.Moments;
import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.bus.DomainException;
import com.partneraccess.http.CsvDownload;
import com.partneraccess.web.InsideAccount.Inside;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static com.partneraccess.web.InsideAccount.base;

/**
 * R32, owner only: "History on a date" ({@code /app/activity/at}: who could access the account at a moment and who
 * did, the moment read in the viewer's time zone, which the page's script fills in) and the CSV download of the
 * activity history ({@code /app/activity/export.csv}). Thin: both call {@link ActivityService}, as the API does.
 */
final class HistoryPages {
  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm", Locale.ENGLISH);

  private final Web web;
  private final InsideAccount inside;
  private final ActivityService activity;

  HistoryPages(Web web, InsideAccount inside, ActivityService activity) {
    this.web = web;
    this.inside = inside;
    this.activity = activity;
  }

  void mount(PageRoutes.Mount m) {
    m.get("/app/activity/at", inside.page(this::atMoment));
    m.get("/app/activity/export.csv", inside.page(this::export));
  }

  private Future<?> atMoment(RoutingContext ctx, Inside in) {
    String at = ctx.request().getParam("at");
    String tz = ctx.request().getParam("tz");
    Map<String, Object> m = form(in, ctx);
    if (at == null || at.isBlank()) {
      Permissions.require(in.actor(), Operation.VIEW_ACCESS_HISTORY);
      return web.render(ctx, "activity-at", m);
    }
    return Web.orShowAgain(() -> activity.atMoment(in.actor(), at, blankAsUtc(tz), null),
        de -> showError(ctx, m, de),
        answer -> web.render(ctx, "activity-at", answer(m, answer, Moments.zone(blankAsUtc(tz)))));
  }

  private Future<?> export(RoutingContext ctx, Inside in) {
    String tz = blankAsUtc(ctx.request().getParam("tz"));
    return Web.orShowAgain(() -> Future.succeededFuture(activity.csvExport(in.actor(),
            ctx.request().getParam("from"), ctx.request().getParam("to"), tz)),
        de -> showError(ctx, form(in, ctx), de),
        export -> CsvDownload.send(ctx, activity, export));
  }

  private static String blankAsUtc(String tz) {
    return tz == null || tz.isBlank() ? "UTC" : tz;
  }

  private Map<String, Object> form(Inside in, RoutingContext ctx) {
    Map<String, Object> m = base(in, "activity", "History on a date");
    m.put("at", value(ctx, "at"));
    m.put("tz", value(ctx, "tz"));
    m.put("from", value(ctx, "from"));
    m.put("to", value(ctx, "to"));
    return m;
  }

  private static String value(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null ? "" : v.length() > 64 ? v.substring(0, 64) : v;
  }

  private Future<?> showError(RoutingContext ctx, Map<String, Object> m, DomainException de) {
    m.put("error", Web.problemText(de));
    return web.render(ctx, de.problem().status, "activity-at", m);
  }

  private static Map<String, Object> answer(Map<String, Object> m, AccessAtMoment a, ZoneId zone) {
    m.put("answered", true);
    m.put("moment", shown(a.at(), zone));
    m.put("zone", zone.getId());
    m.put("window", a.windowMinutes());
    List<Map<String, Object>> partners = new ArrayList<>();
    for (AccessAtMoment.PartnerAtMoment p : a.partners()) {
      Map<String, Object> r = new HashMap<>();
      r.put("partner", p.partner());
      r.put("could", p.couldAccess());
      r.put("state", p.couldAccess() ? "enabled" : p.expiredAt() != null ? "expired" : p.state());
      r.put("since", shown(p.expiredAt() != null ? p.expiredAt() : p.since(), zone));
      r.put("reason", p.expiredAt() != null ? "expired" : p.reason());
      r.put("lastUse", shown(p.lastUseBefore(), zone));
      partners.add(r);
    }
    m.put("partners", partners);
    m.put("couldCount", a.couldAccess().size());
    List<Map<String, Object>> did = new ArrayList<>();
    for (ActivityEntry e : a.activity()) {
      Map<String, Object> r = new HashMap<>();
      r.put("when", shown(e.at(), zone));
      r.put("summary", e.summary());
      r.put("who", e.user() == null ? e.partner() : e.user() + (e.partner() == null ? "" : " (" + e.partner() + ")"));
      did.add(r);
    }
    m.put("did", did);
    return m;
  }

  private static String shown(String iso, ZoneId zone) {
    return iso == null ? null : SHOWN.format(Instant.parse(iso).atZone(zone));
  }
}
