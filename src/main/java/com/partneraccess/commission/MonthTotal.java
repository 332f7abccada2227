package com.partneraccess.commission;

import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.time.YearMonth;

/** One month's commission total (R21), a bar of the chart. */
public record MonthTotal(YearMonth month, BigDecimal total) {

  public JsonObject toJson() {
    return new JsonObject().put("month", month.toString()).put("total", total.toPlainString());
  }
}
