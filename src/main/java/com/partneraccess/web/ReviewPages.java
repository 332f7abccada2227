package com.partneraccess.web;

import com.partneraccess.bus.DomainException;
import com.partneraccess.reviews.AccessReview;
import com.partneraccess.reviews.ReviewService;
import com.partneraccess.reviews.ReviewWords;
import com.partneraccess.web.InsideAccount.Inside;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.partneraccess.web.InsideAccount.base;
import static com.partneraccess.web.InsideAccount.id;

/**
 * The owner's access reviews (R30): the list ({@code /app/reviews}), one review with Keep / Disable per partner in
 * one click ({@code /app/reviews/{id}}). Thin: {@link ReviewService} authorises and decides.
 */
final class ReviewPages {
  private final Web web;
  private final InsideAccount inside;
  private final ReviewService reviews;

  ReviewPages(Web web, InsideAccount inside, ReviewService reviews) {
    this.web = web;
    this.inside = inside;
    this.reviews = reviews;
  }

  void mount(PageRoutes.Mount m) {
    m.get("/app/reviews", inside.page(this::list));
    m.get("/app/reviews/:reviewId", inside.page(this::show));
    m.post("/app/reviews/:reviewId/partners/:partnerId/keep", inside.page((ctx, in) -> decide(ctx, in, "keep")));
    m.post("/app/reviews/:reviewId/partners/:partnerId/disable", inside.page((ctx, in) -> decide(ctx, in, "disable")));
  }

  private Future<?> list(RoutingContext ctx, Inside in) {
    Map<String, Object> m = base(in, "reviews", "Access reviews");
    return reviews.list(in.actor(), ReviewService.LIST_MAX).compose(list -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (AccessReview r : list) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", r.id().toString());
        row.put("created", Web.humanDates(r.createdAt()));
        row.put("due", Web.humanDates(r.dueAt()));
        row.put("status", statusText(r));
        row.put("partners", r.partners());
        row.put("recommended", r.recommended());
        rows.add(row);
      }
      m.put("reviews", rows);
      return web.render(ctx, "reviews", m);
    });
  }

  private Future<?> show(RoutingContext ctx, Inside in) {
    return reviews.show(in.actor(), id(ctx, "reviewId")).compose(r -> {
      Map<String, Object> m = base(in, "reviews", "Access review of " + Web.humanDates(r.createdAt()));
      m.put("review", Map.of("id", r.id().toString(), "created", Web.humanDates(r.createdAt()),
          "from", Web.humanDates(r.periodFrom()), "due", Web.humanDates(r.dueAt()), "status", statusText(r),
          "open", r.open()));
      List<Map<String, Object>> items = new ArrayList<>();
      for (AccessReview.Item i : r.items()) {
        Map<String, Object> row = new HashMap<>();
        row.put("partnerId", i.partnerId().toString());
        row.put("name", i.partnerName());
        row.put("lastUsed", i.lastUsedAt() == null ? "Never" : Web.humanDates(i.lastUsedAt()));
        row.put("did", ReviewWords.did(i.activity()));
        row.put("recommended", i.recommendedToDisable());
        row.put("decision", i.decision() == null ? "" : "keep".equals(i.decision()) ? "Kept" : "Disabled");
        row.put("canAnswer", r.open() && i.decision() == null);
        row.put("accessNow", i.accessNow());
        items.add(row);
      }
      m.put("items", items);
      return web.render(ctx, "review", m);
    });
  }

  private Future<?> decide(RoutingContext ctx, Inside in, String decision) {
    UUID reviewId = id(ctx, "reviewId");
    String back = "/app/reviews/" + reviewId;
    return reviews.decide(in.actor(), reviewId, id(ctx, "partnerId"), decision)
        .compose(a -> web.redirect(ctx, back, "ok", ("keep".equals(a.decision())
            ? "Kept: " + a.partnerName() + " keeps its access."
            : "Disabled: " + a.partnerName() + " can no longer log in to your account.")
            + (a.reviewClosed() ? " Every partner is answered; the review is closed." : "")))
        .recover(err -> err instanceof DomainException
            ? web.redirect(ctx, back, "error", Web.problemText(err)) : Future.failedFuture(err));
  }

  private static String statusText(AccessReview r) {
    return switch (r.status()) {
      case "open" -> "Waiting for your answer (" + r.answered() + " of " + r.partners() + " answered)";
      case "answered" -> "Answered";
      default -> "Closed without an answer for every partner";
    };
  }
}
