package com.partneraccess.support;

import com.partneraccess.db.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;

import java.util.ArrayList;
import java.util.List;

/**
 * The plan of a statement as the service's pool has PostgreSQL make it: a cached statement planned once for all values
 * (its generic plan, which PostgreSQL may switch to after five executions; forced here), a {@link Sql#PLAN_PER_CALL}
 * one planned with its values.
 */
public final class TestPlans {
  private TestPlans() {}

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
