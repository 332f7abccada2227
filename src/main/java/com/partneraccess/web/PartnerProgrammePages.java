package com.partneraccess.web;

import com.partneraccess.authz.Principal;
import com.partneraccess.commission.CommissionService;
import com.partneraccess.commission.Credits;
import com.partneraccess.commission.MonthTotal;
import com.partneraccess.partners.PartnerService;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The partner programme's pages of the portal: Badges & Promotion (referral link, credits, tier, R22) and the
 * commission statement with a 12-month chart (R21). Thin: call the services, lay out, render.
 */
final class PartnerProgrammePages {
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM yy", Locale.ENGLISH);
  private static final DateTimeFormatter MONTH_LONG = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);

  private final Web web;
  private final PartnerService partners;
  private final CommissionService commission;
  private final String currency;

  PartnerProgrammePages(Web web, PartnerService partners, CommissionService commission, String currency) {
    this.web = web;
    this.partners = partners;
    this.commission = commission;
    this.currency = currency;
  }

  void mount(PageRoutes.Mount m) {
    m.get("/partner/badges", Web.page(this::badges));
    m.get("/partner/commission", Web.page(this::commission));
  }

  /** R22: the referral link (with a copy button), status credits and tier. */
  private Future<?> badges(RoutingContext ctx) {
    Principal p = PartnerPages.partner(ctx);
    Map<String, Object> m = PartnerPages.base(ctx, "badges", "Badges & Promotion");
    return partners.profile(p).compose(profile -> {
      Credits credits = profile.credits();
      m.put("partnerName", profile.name());
      m.put("referralLink", profile.referralLink());
      m.put("credits", credits.credits());
      m.put("connectedCustomers", credits.connectedCustomers());
      m.put("tier", credits.tier());
      m.put("nextTier", credits.nextTier());
      m.put("creditsToNextTier", credits.creditsToNextTier());
      return web.render(ctx, "badges", m);
    });
  }

  /** One bar of the 12-month chart, laid out on the server (an SVG with no script and no inline style). */
  public record Bar(String label, String title, String amount, int x, int y, int height, boolean current) {}

  /** R21: the monthly statement and the totals of the last 12 months. */
  private Future<?> commission(RoutingContext ctx) {
    Principal p = PartnerPages.partner(ctx);
    YearMonth now = commission.month(null);
    YearMonth month = commission.month(ctx.request().getParam("month"));
    Map<String, Object> m = PartnerPages.base(ctx, "commission", "Commission");
    return commission.statement(p, month).compose(s -> commission.history(p, 12).map(h -> {
      m.put("statement", s);
      m.put("lines", s.lines());
      m.put("month", month.toString());
      m.put("monthName", month.format(MONTH_LONG));
      m.put("previous", month.minusMonths(1).toString());
      m.put("next", month.isBefore(now) ? month.plusMonths(1).toString() : null);
      m.put("currency", currency);
      m.put("bars", bars(h, month));
      return m;
    })).compose(model -> web.render(ctx, "commission", model));
  }

  static final int CHART_HEIGHT = 160;
  static final int BAR_STEP = 50;

  static List<Bar> bars(List<MonthTotal> history, YearMonth selected) {
    BigDecimal max = BigDecimal.ZERO;
    for (MonthTotal o : history) {
      BigDecimal t = o.total();
      if (t.compareTo(max) > 0) {
        max = t;
      }
    }
    List<Bar> bars = new ArrayList<>();
    int i = 0;
    for (MonthTotal j : history) {
      YearMonth ym = j.month();
      BigDecimal t = j.total();
      int h = max.signum() == 0 ? 0 : t.multiply(BigDecimal.valueOf(CHART_HEIGHT))
          .divide(max, 0, java.math.RoundingMode.HALF_UP).intValue();
      h = t.signum() > 0 ? Math.max(h, 2) : 0;
      bars.add(new Bar(ym.format(MONTH), ym.format(MONTH_LONG) + ": " + t.toPlainString(), t.toPlainString(),
          10 + i * BAR_STEP, 20 + CHART_HEIGHT - h, h, ym.equals(selected)));
      i++;
    }
    return bars;
  }
}
