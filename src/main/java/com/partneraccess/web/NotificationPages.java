package com.partneraccess.web;

import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Problem;
import com.partneraccess.notifications.Notification;
import com.partneraccess.notifications.NotificationService;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The notification centre's pages (R27, R31), for customer users and partner users alike: {@code /notifications}
 * (newest first, a page at a time, mark one or all read) and {@code /notifications/preferences} (which kinds are
 * e-mailed; admins choose whether they are told when a partner logs in). Thin: parse, call
 * {@link NotificationService}, render or redirect with a sentence.
 */
final class NotificationPages {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
      .withZone(ZoneOffset.UTC);

  private final Web web;
  private final InsideAccount inside;
  private final NotificationService notifications;

  NotificationPages(Web web, InsideAccount inside, NotificationService notifications) {
    this.web = web;
    this.inside = inside;
    this.notifications = notifications;
  }

  void mount(PageRoutes.Mount m) {
    m.get("/notifications", Web.page(this::list));
    m.post("/notifications/read-all", Web.page(this::markAllRead));
    m.post("/notifications/:notificationId/read", Web.page(this::markRead));
    m.get("/notifications/preferences", Web.page(this::preferences));
    m.post("/notifications/preferences", Web.page(this::savePreferences));
  }

  /** The layout's model: the account's navigation for its users, the portal's for partners. */
  private Future<Map<String, Object>> base(RoutingContext ctx, String title) {
    Principal p = Web.principal(ctx);
    if (p == null) {
      return Future.failedFuture(Problem.UNAUTHENTICATED.exception("Sign in first"));
    }
    if (p.isPartner()) {
      return Future.succeededFuture(PartnerPages.base(ctx, "notifications", title));
    }
    return inside.resolve(ctx).map(in -> InsideAccount.base(in, "notifications", title));
  }

  private Future<?> list(RoutingContext ctx) {
    Principal p = Web.principal(ctx);
    String cursor = ctx.request().getParam("cursor");
    return base(ctx, "Notifications").compose(m -> notifications.list(p, null, cursor).compose(page -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Notification n : page.notifications()) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", n.id().toString());
        row.put("kind", n.kind());
        row.put("message", n.message());
        row.put("link", n.link());
        row.put("unread", n.unread());
        row.put("at", n.createdAt().toString());
        row.put("when", WHEN.format(n.createdAt()));
        rows.add(row);
      }
      m.put("notifications", rows);
      m.put("nextCursor", page.nextCursor());
      m.put("unread", page.unread());
      m.put("unreadNotifications", page.unread());
      m.put("first", cursor == null || cursor.isBlank() ? null : "/notifications");
      return web.render(ctx, "notifications", m);
    }));
  }

  private Future<?> markRead(RoutingContext ctx) {
    return notifications.markRead(Web.principal(ctx), InsideAccount.id(ctx, "notificationId"))
        .compose(changed -> web.redirect(ctx, "/notifications", "ok",
            changed ? "Marked as read" : "That notification was already read"));
  }

  private Future<?> markAllRead(RoutingContext ctx) {
    return notifications.markAllRead(Web.principal(ctx)).compose(n -> web.redirect(ctx, "/notifications", "ok",
        n == 0 ? "Nothing was unread" : "Marked " + n + (n == 1 ? " notification" : " notifications") + " as read"));
  }

  private Future<?> preferences(RoutingContext ctx) {
    Principal p = Web.principal(ctx);
    return base(ctx, "Notification settings").compose(m -> notifications.preferences(p).compose(list -> {
      m.put("preferences", list);
      return web.render(ctx, "notification-preferences", m);
    }));
  }

  /** Unticked boxes are not sent: every kind shown is saved as ticked or not. */
  private Future<?> savePreferences(RoutingContext ctx) {
    Principal p = Web.principal(ctx);
    return notifications.preferences(p).compose(current -> {
      if (current.isEmpty()) {
        return web.redirect(ctx, "/notifications/preferences", "ok", "There is nothing to choose");
      }
      List<NotificationService.SetPreference> changes = new ArrayList<>();
      for (NotificationService.Preference pr : current) {
        boolean email = "on".equals(ctx.request().getFormAttribute("email_" + pr.kind()));
        Boolean told = pr.toldByChoice() ? "on".equals(ctx.request().getFormAttribute("told_" + pr.kind())) : null;
        changes.add(new NotificationService.SetPreference(pr.kind(), email, told));
      }
      return notifications.setPreferences(p, changes)
          .compose(saved -> web.redirect(ctx, "/notifications/preferences", "ok", "Your notification settings are saved"));
    });
  }
}
