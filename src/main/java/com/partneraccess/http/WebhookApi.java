package com.partneraccess.http;

import com.partneraccess.webhooks.WebhookService;
import com.partneraccess.webhooks.WebhookService.Subscribe;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.util.List;
import java.util.function.Function;

/**
 * R33: the operator's webhook routes (subscriptions, delivery log, redeliver), behind the operator token
 * ({@code X-Ops-Token}, as the other operator routes; 404 when no token is configured). Thin: parse, call
 * {@link WebhookService}, render.
 */
public final class WebhookApi {
  private final WebhookService webhooks;
  private final String opsToken;

  public WebhookApi(WebhookService webhooks, String opsToken) {
    this.webhooks = webhooks;
    this.opsToken = opsToken;
  }

  private void on(RouterBuilder rb, String operationId, Function<RoutingContext, Future<?>> handler) {
    rb.getRoute(operationId).addHandler(Api.handle(ctx -> {
      OpsApi.requireOperator(ctx, opsToken);
      return handler.apply(ctx);
    }));
  }

  public void mount(RouterBuilder rb) {
    on(rb, "createWebhook", ctx -> webhooks.subscribe(subscribe(Api.body(ctx)))
        .compose(s -> Api.created(ctx, s.toJson())));
    on(rb, "listWebhooks", ctx -> webhooks.subscriptions().compose(list -> {
      JsonArray out = new JsonArray();
      list.forEach(s -> out.add(s.toJson()));
      return Api.ok(ctx, new JsonObject().put("webhooks", out));
    }));
    on(rb, "changeWebhook", ctx -> webhooks.change(Api.pathId(ctx, "subscriptionId"), subscribe(Api.body(ctx)))
        .compose(s -> Api.ok(ctx, s.toJson())));
    on(rb, "listWebhookDeliveries", ctx -> {
      Integer before = Api.intQuery(ctx, "before", null);
      return webhooks.deliveries(Api.pathId(ctx, "subscriptionId"), ctx.request().getParam("status"),
          before == null ? null : before.longValue(), Api.intQuery(ctx, "limit", null)).compose(list -> {
            JsonArray out = new JsonArray();
            list.forEach(d -> out.add(d.toJson()));
            return Api.ok(ctx, new JsonObject().put("deliveries", out));
          });
    });
    on(rb, "getWebhookDelivery", ctx -> webhooks.delivery(deliveryId(ctx)).compose(d -> Api.ok(ctx, d.toJson())));
    on(rb, "redeliverWebhook", ctx -> webhooks.redeliver(deliveryId(ctx)).compose(d -> Api.ok(ctx, d.toJson())));
  }

  private static Subscribe subscribe(JsonObject b) {
    JsonArray events = b.getJsonArray("events");
    List<String> names = events == null ? null : events.stream().map(e -> e == null ? null : String.valueOf(e)).toList();
    return new Subscribe(b.getString("url"), names, b.getBoolean("active"));
  }

  private static long deliveryId(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("deliveryId"));
    } catch (NumberFormatException e) {
      throw com.partneraccess.bus.Problem.VALIDATION_FAILED.exception("deliveryId must be a whole number");
    }
  }
}
