package com.partneraccess.commission;

import com.partneraccess.bus.Problem;

import java.math.BigDecimal;
import java.util.Map;

/** The subscription plans the vendor sells (configuration: {@code commission.plans}). */
public final class Plans {
  private final Map<String, BigDecimal> prices;
  private final String defaultPlan;

  public Plans(Map<String, BigDecimal> prices) {
    this.prices = prices;
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
}
