package com.partneraccess.commission;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/** R21: a month's statement: a line per customer connection that accrued, and the total. */
public record Statement(YearMonth month, String currency, BigDecimal sharePercent, List<Line> lines,
                        BigDecimal total) {

  /** One customer connection's accrual in the month ({@code disconnectedAt}: ISO, null while connected). */
  public record Line(UUID accountId, String businessName, String plan, BigDecimal monthlyPrice, int days,
                     BigDecimal amount, String disconnectedAt) {

    public JsonObject toJson() {
      return new JsonObject()
          .put("accountId", accountId.toString())
          .put("businessName", businessName)
          .put("plan", plan)
          .put("monthlyPrice", monthlyPrice.toPlainString())
          .put("days", days)
          .put("amount", amount.toPlainString())
          .put("disconnectedAt", disconnectedAt);
    }
  }

  public JsonObject toJson() {
    JsonArray lineList = new JsonArray();
    lines.forEach(l -> lineList.add(l.toJson()));
    return new JsonObject().put("month", month.toString()).put("currency", currency)
        .put("sharePercent", sharePercent.toPlainString())
        .put("lines", lineList).put("total", total.toPlainString());
  }
}
