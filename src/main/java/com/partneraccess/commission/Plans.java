package com.partneraccess.commission;

import com.partneraccess.bus.Problem;

import java.math.BigDecimal;
import java.util.Map;

/** The subscription plans the vendor sells (configuration: {@code commission.plans}). */
public final class Plans {
  private final Map<String, BigDecimal> prices;
  private final String defaultPlan;
  private final String currency;

  /** Prices are per month, in {@code commission.currency} (an ISO 4217 code such as USD). */
  public Plans(Map<String, BigDecimal> prices, String currency) {
    this.prices = prices;
    this.currency = currency;
    this.defaultPlan = prices.containsKey("standard") ? "standard" : prices.keySet().iterator().next();
  }

  /** The plan asked for, or the default when none is given; an unknown plan is refused. */
  public String require(String plan) {
    if (plan == null || plan.isBlank()) {
      return defaultPlan;
    }
    if (!prices.containsKey(plan)) {
      throw Problem.UNKNOWN_PLAN.exception("Unknown plan '" + plan + "'; choose one of " + prices.keySet());
    }
    return plan;
  }

  public Map<String, BigDecimal> prices() {
    return prices;
  }

  public String currency() {
    return currency;
  }

  /** Each plan's monthly price as people read it: "29.00 USD". */
  public Map<String, String> priceTexts() {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    prices.forEach((plan, price) -> out.put(plan, money(price, currency)));
    return out;
  }

  /** An amount with its currency: "29.00 USD". */
  public static String money(BigDecimal amount, String currency) {
    return amount.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString() + " " + currency;
  }
}
