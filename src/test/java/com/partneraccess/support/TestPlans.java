package com.partneraccess.support;

import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.db.Sql;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plan of a statement as the service's pool has PostgreSQL make it: a cached statement planned once for all values
 * (its generic plan, which PostgreSQL may switch to after five executions; forced here), a {@link Sql#PLAN_PER_CALL}
 * one planned with its values.
 */
public final class TestPlans {
  private TestPlans() {}

  /**
   * A new database holding one account among 99 others (so the planner sees an account as the small part of a table
   * it is), the account's owner and a partner, and a connection to it for {@link #nodes}. Tests add the list's rows.
   */
  public static final class Fixture implements AutoCloseable {
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    public final UUID account = UUID.randomUUID();
    public final UUID user = UUID.randomUUID();
    public final UUID partner = UUID.randomUUID();
    public final String url = TestDatabase.newDatabase();
    private final Vertx vertx = Vertx.vertx();
    public final PgConnection conn;

    public Fixture() {
      OffsetDateTime t0 = T0.atOffset(ZoneOffset.UTC);
      try (TestSql sql = new TestSql(url)) {
        sql.query("INSERT INTO accounts (id, business_name, plan, created_at) VALUES ($1, 'Plan Co', 'standard', $2)",
            account, t0);
        sql.query("INSERT INTO accounts (id, business_name, plan, created_at) SELECT gen_random_uuid(), 'Other ' || g,"
            + " 'standard', $1 FROM generate_series(1, 99) g", t0);
        sql.query("INSERT INTO users (id, email, password_hash, name, kind, account_id, role, created_at)"
            + " VALUES ($1, 'plan-owner@example.test', 'x', 'Owner', 'customer', $2, 'owner', $3)", user, account, t0);
        sql.query("INSERT INTO partners (id, name, referral_code, created_at) VALUES ($1, 'Plan Partners', 'PLAN-1', $2)",
            partner, t0);
      }
      conn = PgConnection.connect(vertx, DatabaseUrl.parse(url).connectOptions()).await();
    }

    /** Runs one statement (a bulk insert of the list's rows, ANALYZE) on the fixture's database. */
    public void sql(String statement, Object... params) {
      try (TestSql sql = new TestSql(url)) {
        sql.query(statement, params);
      }
    }

    @Override
    public void close() {
      conn.close().await();
      vertx.close().await();
    }
  }

  /**
   * Prepares {@code statement} as the pool would have it planned (every placeholder cast, so no parameter types are needed), runs it once with the
   * given SQL literals under EXPLAIN ANALYZE and returns every node of the plan, the root first.
   */
  public static List<JsonObject> nodes(PgConnection conn, String statement, List<String> literals) {
    // as the service runs it: cached and planned for all values, or (PLAN_PER_CALL) planned with its values
    conn.query("SET plan_cache_mode = " + (statement.startsWith(Sql.PLAN_PER_CALL) ? "force_custom_plan"
        : "force_generic_plan")).execute().await();
    String name = "plan_" + Integer.toHexString(statement.hashCode() & 0x7fffffff);
    conn.query("PREPARE " + name + " AS " + statement).execute().await();
    try {
      JsonObject plan = new JsonArray(conn.query("EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE " + name + "("
          + String.join(", ", literals) + ")").execute().await().iterator().next().getValue(0).toString())
          .getJsonObject(0).getJsonObject("Plan");
      List<JsonObject> out = new ArrayList<>();
      collect(plan, out);
      return out;
    } finally {
      conn.query("DEALLOCATE " + name).execute().await();
    }
  }

  /**
   * The rule of {@code db/FilterStatements}, checked on a statement's plan: one with two bounds or more is planned per
   * call (how much of a range it reads depends on the range); any other reads at most {@code limit} + 1 rows of
   * {@code table}, by an index scan whose index name starts with {@code indexPrefix}, with no sort.
   */
  public static void assertReadsAPage(String statement, List<JsonObject> nodes, String table, String indexPrefix,
                                      int limit, int bounds) {
    JsonObject scan = scanOf(nodes, table);
    if (bounds >= 2) {
      assertThat(statement).startsWith(Sql.PLAN_PER_CALL);
      assertThat(scan.getLong("Actual Rows")).as(statement).isPositive();
      return;
    }
    assertThat(statement).doesNotStartWith(Sql.PLAN_PER_CALL);
    assertThat(nodes).as(statement).noneMatch(n -> n.getString("Node Type").contains("Sort"));
    assertThat(scan.getString("Node Type")).as(statement).isEqualTo("Index Scan");
    assertThat(scan.getString("Index Name")).as(statement).startsWith(indexPrefix);
    assertThat(scan.getLong("Actual Rows")).as(statement).isBetween(1L, (long) limit + 1);
  }

  /** The first node that reads {@code table}. */
  public static JsonObject scanOf(List<JsonObject> nodes, String table) {
    return nodes.stream().filter(n -> table.equals(n.getString("Relation Name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no scan of " + table + " in " + nodes.get(0).encodePrettily()));
  }

  /** A value as an SQL literal. */
  public static String literal(Object value) {
    return value instanceof Number ? value.toString() : "'" + value + "'";
  }

  private static void collect(JsonObject node, List<JsonObject> out) {
    out.add(node);
    JsonArray children = node.getJsonArray("Plans");
    if (children != null) {
      children.forEach(c -> collect((JsonObject) c, out));
    }
  }
}
