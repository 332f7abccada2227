package com.partneraccess.commission;

import com.partneraccess.config.AppConfig;
import com.partneraccess.db.Sql;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** R21 monthly statements and R22 status credits, computed from the connection history. */
public final class CommissionRepository {
  static final String CONNECTIONS_IN = """
      SELECT c.account_id, a.business_name, a.plan, c.connected_at, c.disconnected_at, a.cancelled_at
        FROM connections c JOIN accounts a ON a.id = c.account_id
       WHERE c.partner_id = $1 AND c.connected_at < $3
         AND (c.disconnected_at IS NULL OR c.disconnected_at >= $2)
       ORDER BY a.business_name, c.connected_at""";
  static final String LIVE_PLANS = """
      SELECT a.plan, count(*) AS customers FROM connections c JOIN accounts a ON a.id = c.account_id
       WHERE c.partner_id = $1 AND c.disconnected_at IS NULL AND a.status = 'active' GROUP BY a.plan""";
  static final String LIVE_PLANS_OF = """
      SELECT c.partner_id, a.plan, count(*) AS customers FROM connections c JOIN accounts a ON a.id = c.account_id
       WHERE c.partner_id = ANY($1) AND c.disconnected_at IS NULL AND a.status = 'active' GROUP BY c.partner_id, a.plan""";

  private final Pool pool;
  private final AppClock clock;
  private final AppConfig.Commission commission;
  private final AppConfig.Credits credits;

  public CommissionRepository(Pool pool, AppClock clock, AppConfig.Commission commission, AppConfig.Credits credits) {
    this.pool = pool;
    this.clock = clock;
    this.commission = commission;
    this.credits = credits;
  }

  /** R21: the statement of one month: a line per customer connection that accrued, and the total. */
  public Future<Statement> statement(UUID partnerId, YearMonth month) {
    Instant now = clock.now();
    return connections(partnerId, month, month).map(rows -> statement(rows, month, now));
  }

  /** Totals of the last {@code months} months, oldest first, for the commission chart: one query for all. */
  public Future<List<MonthTotal>> history(UUID partnerId, int months) {
    Instant now = clock.now();
    YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
    YearMonth first = current.minusMonths(months - 1L);
    return connections(partnerId, first, current).map(rows -> {
      List<MonthTotal> out = new ArrayList<>();
      for (YearMonth m = first; !m.isAfter(current); m = m.plusMonths(1)) {
        out.add(new MonthTotal(m, statement(rows, m, now).total()));
      }
      return out;
    });
  }

  /** The partner's connections alive at any moment from the start of {@code first} to the end of {@code last}. */
  private Future<RowSet<Row>> connections(UUID partnerId, YearMonth first, YearMonth last) {
    return pool.preparedQuery(CONNECTIONS_IN).execute(Tuple.of(partnerId, monthStart(first), monthStart(last.plusMonths(1))));
  }

  private Statement statement(RowSet<Row> rows, YearMonth month, Instant now) {
    Instant start = monthStart(month).toInstant();
    Instant end = monthStart(month.plusMonths(1)).toInstant();
    List<Statement.Line> lines = new ArrayList<>();
    BigDecimal total = BigDecimal.ZERO.setScale(2);
    for (Row r : rows) {
      Instant from = Sql.instant(r, "connected_at");
      Instant disconnected = Sql.instant(r, "disconnected_at");
      if (!from.isBefore(end) || (disconnected != null && disconnected.isBefore(start))) {
        continue; // not connected during this month
      }
      Instant until = earliest(disconnected, Sql.instant(r, "cancelled_at"));
      int days = Commission.accruedDays(month, from, until, now);
      BigDecimal price = commission.plans().getOrDefault(r.getString("plan"), BigDecimal.ZERO);
      BigDecimal amount = Commission.amount(price, commission.sharePercent(), days, month);
      total = total.add(amount);
      lines.add(new Statement.Line(r.getUUID("account_id"), r.getString("business_name"), r.getString("plan"), price,
          days, amount, Sql.iso(r, "disconnected_at")));
    }
    return new Statement(month, commission.currency(), commission.sharePercent(), List.copyOf(lines), total);
  }

  private static OffsetDateTime monthStart(YearMonth month) {
    return month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
  }

  /** R22: credits for each connected, active customer (by plan); the tier they reach. */
  public Future<Credits> credits(UUID partnerId) {
    return pool.preparedQuery(LIVE_PLANS).execute(Tuple.of(partnerId)).map(rows -> {
      Map<String, Integer> byPlan = new HashMap<>();
      rows.forEach(r -> byPlan.put(r.getString("plan"), r.getLong("customers").intValue()));
      return credits(byPlan);
    });
  }

  /**
   * R22 for many partners at once (the partner directory's tier badges): one query, the same derivation as
   * {@link #credits(UUID)}; a partner with no connected customer gets the lowest tier.
   */
  public Future<Map<UUID, Credits>> creditsOf(Collection<UUID> partnerIds) {
    if (partnerIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery(LIVE_PLANS_OF).execute(Tuple.of(partnerIds.toArray(UUID[]::new))).map(rows -> {
      Map<UUID, Map<String, Integer>> plans = new HashMap<>();
      partnerIds.forEach(id -> plans.put(id, new HashMap<>()));
      rows.forEach(r -> plans.get(r.getUUID("partner_id")).put(r.getString("plan"), r.getLong("customers").intValue()));
      Map<UUID, Credits> out = new HashMap<>();
      plans.forEach((id, byPlan) -> out.put(id, credits(byPlan)));
      return out;
    });
  }

  /** The one derivation of credits and tier from the number of connected, active customers on each plan. */
  private Credits credits(Map<String, Integer> customersByPlan) {
    int total = 0;
    int customers = 0;
    for (Map.Entry<String, Integer> e : customersByPlan.entrySet()) {
      int n = e.getValue();
      customers += n;
      total += n * credits.perCustomer().getOrDefault(e.getKey(), 10);
    }
    AppConfig.Tier tier = credits.tiers().get(0);
    AppConfig.Tier next = null;
    for (AppConfig.Tier t : credits.tiers()) {
      if (total >= t.min()) {
        tier = t;
      } else if (next == null) {
        next = t;
      }
    }
    return new Credits(total, customers, tier.name(), next == null ? null : next.name(),
        next == null ? null : next.min() - total);
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isBefore(b) ? a : b;
  }
}
