package com.partneraccess.http;

import com.partneraccess.accounts.AccountActors;
import com.partneraccess.authz.AccountActor;
import com.partneraccess.reviews.ReviewService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.util.function.BiFunction;

/** The JSON adapter of access reviews (R30): list, show, keep or disable a partner; the service authorises. */
public final class ReviewApi {
  private final AccountActors actors;
  private final ReviewService reviews;

  public ReviewApi(AccountActors actors, ReviewService reviews) {
    this.actors = actors;
    this.reviews = reviews;
  }

  private void on(RouterBuilder rb, String operationId, BiFunction<RoutingContext, AccountActor, Future<?>> handler) {
    rb.getRoute(operationId).addHandler(Api.handle(ctx -> actors.resolve(Api.principal(ctx))
        .compose(actor -> handler.apply(ctx, actor))));
  }

  public void mount(RouterBuilder rb) {
    on(rb, "listAccessReviews", (ctx, a) -> reviews.list(a, Api.intQuery(ctx, "limit", null)).compose(list -> {
      JsonArray out = new JsonArray();
      list.forEach(r -> out.add(r.toJson()));
      return Api.ok(ctx, new JsonObject().put("reviews", out));
    }));
    on(rb, "getAccessReview", (ctx, a) -> reviews.show(a, Api.pathId(ctx, "reviewId"))
        .compose(r -> Api.ok(ctx, r.toJson())));
    on(rb, "decideAccessReview", (ctx, a) -> reviews.decide(a, Api.pathId(ctx, "reviewId"),
            Api.pathId(ctx, "partnerId"), Api.body(ctx).getString("decision"))
        .compose(answer -> Api.ok(ctx, new JsonObject().put("decision", answer.decision())
            .put("partnerName", answer.partnerName()).put("reviewClosed", answer.reviewClosed()))));
  }
}
