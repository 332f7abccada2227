package com.partneraccess.support;

import com.partneraccess.db.DatabaseUrl;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/** Direct SQL on a test database, for arranging rows in bulk and checking what the service stored. */
public final class TestSql implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Pool pool;

  public TestSql(String databaseUrl) {
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(DatabaseUrl.parse(databaseUrl).connectOptions()).using(vertx).build();
  }

  public RowSet<Row> query(String sql, Object... params) {
    return pool.preparedQuery(sql).execute(Tuple.wrap(params)).await();
  }

  public long count(String sql, Object... params) {
    return query(sql, params).iterator().next().getLong(0);
  }

  public String string(String sql, Object... params) {
    RowSet<Row> rows = query(sql, params);
    return rows.size() == 0 ? null : rows.iterator().next().getString(0);
  }

  @Override
  public void close() {
    pool.close().await();
    vertx.close().await();
  }
}
