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

  /**
   * Inserts {@code n} enabled connections of one new partner to {@code n} new accounts (100 jobs each), all
   * due: they expired 1 day before {@code now}. One statement (generate_series). Returns the partner's id.
   */
  public java.util.UUID seedDueConnections(int n, java.time.Instant now) {
    java.time.OffsetDateTime start = java.time.OffsetDateTime.ofInstant(now.minus(java.time.Duration.ofDays(61)),
        java.time.ZoneOffset.UTC);
    java.util.UUID partnerId = java.util.UUID.randomUUID();
    query("""
        WITH p AS (
          INSERT INTO partners (id, name, referral_code, created_at)
          VALUES ($1, 'Bulk Partners', 'BULK-' || md5($1::text), $2) RETURNING id
        ), acc AS (
          INSERT INTO accounts (id, business_name, plan, job_count, hundredth_job_at, created_at)
          SELECT gen_random_uuid(), 'Bulk ' || g, 'standard', 100, $2, $2 FROM generate_series(1, $3::int) g
          RETURNING id
        )
        INSERT INTO connections (id, partner_id, account_id, origin, access, connected_at, enabled_at,
                                 access_changed_at, expires_at)
        SELECT gen_random_uuid(), p.id, acc.id, 'invite', 'enabled', $2, $2, $2, $2 + interval '60 days'
          FROM acc, p""", partnerId, start, n);
    return partnerId;
  }

  @Override
  public void close() {
    pool.close().await();
    vertx.close().await();
  }
}
