package com.partneraccess.http;

import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Problem;
import com.partneraccess.notifications.NotificationService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** The JSON adapter of the notification centre (R27, R31): parse, call {@link NotificationService}, write JSON. */
public final class NotificationApi {
  private final NotificationService notifications;

  public NotificationApi(NotificationService notifications) {
    this.notifications = notifications;
  }

  private static void on(RouterBuilder rb, String operationId, BiFunction<RoutingContext, Principal, Future<?>> h) {
    rb.getRoute(operationId).addHandler(Api.handle(ctx -> h.apply(ctx, Api.principal(ctx))));
  }

  public void mount(RouterBuilder rb) {
    on(rb, "listNotifications", (ctx, p) -> notifications.list(p, Api.intQuery(ctx, "limit", null),
        ctx.request().getParam("cursor")).compose(page -> {
          JsonArray items = new JsonArray();
          page.notifications().forEach(n -> items.add(n.toJson()));
          return Api.ok(ctx, new JsonObject().put("notifications", items).put("nextCursor", page.nextCursor())
              .put("unread", page.unread()));
        }));
    on(rb, "markNotificationRead", (ctx, p) -> notifications.markRead(p, Api.pathId(ctx, "notificationId"))
        .compose(changed -> Api.ok(ctx, new JsonObject().put("read", true).put("changed", changed))));
    on(rb, "markAllNotificationsRead", (ctx, p) -> notifications.markAllRead(p)
        .compose(n -> Api.ok(ctx, new JsonObject().put("marked", n))));
    on(rb, "getNotificationPreferences", (ctx, p) -> notifications.preferences(p)
        .compose(list -> Api.ok(ctx, preferences(list))));
    on(rb, "setNotificationPreferences", (ctx, p) -> {
      Api.requireSignedIn(ctx);
      JsonArray sent = Api.body(ctx).getJsonArray("preferences");
      if (sent == null) {
        throw Problem.VALIDATION_FAILED.exception("Send {\"preferences\": [{\"kind\": ..., \"email\": true}]}");
      }
      List<NotificationService.SetPreference> changes = new ArrayList<>();
      for (Object o : sent) {
        if (!(o instanceof JsonObject j)) {
          throw Problem.VALIDATION_FAILED.exception("Each preference is an object with kind, email and told");
        }
        changes.add(new NotificationService.SetPreference(j.getString("kind"), j.getBoolean("email"),
            j.getBoolean("told")));
      }
      return notifications.setPreferences(p, changes).compose(list -> Api.ok(ctx, preferences(list)));
    });
  }

  private static JsonObject preferences(List<NotificationService.Preference> list) {
    JsonArray out = new JsonArray();
    list.forEach(pr -> out.add(new JsonObject().put("kind", pr.kind()).put("label", pr.label())
        .put("email", pr.email()).put("told", pr.told()).put("toldByChoice", pr.toldByChoice())));
    return new JsonObject().put("preferences", out);
  }
}
