package com.partneraccess.db;

import com.partneraccess.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.util.concurrent.TimeUnit;

/**
 * The Pg client pool. It is shared by name, so every verticle instance of a process uses the same
 * connections (the first verticle to create it sets its options); each verticle closes its handle when it stops.
 * Every wait on the database is bounded: connecting ({@code db.connectTimeoutMillis}), waiting for a pooled
 * connection ({@code db.acquireTimeoutMillis}; beyond {@code db.maxWaitQueue} waiters a request fails at once)
 * and each statement (PostgreSQL's {@code statement_timeout} = {@code db.statementTimeoutMillis}).
 */
public final class Database {
  private Database() {}

  public static Pool pool(Vertx vertx, DatabaseUrl url, AppConfig.Db db) {
    PgConnectOptions connect = url.connectOptions();
    connect.addProperty("statement_timeout", Integer.toString(db.statementTimeoutMillis()));
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(db.poolSize()).setShared(true).setName("partner-access-" + url.database())
            .setMaxWaitQueueSize(db.maxWaitQueue())
            .setConnectionTimeout(db.acquireTimeoutMillis()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
        .with(new NetClientOptions().setConnectTimeout(db.connectTimeoutMillis()))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }

  /** A pool with the default bounds (it shares the process's pool when one of that name exists). */
  public static Pool pool(Vertx vertx, DatabaseUrl url, int maxSize) {
    return pool(vertx, url, new AppConfig.Db(null, maxSize, null, 0, 1_000, 1_000, 256, 5_000));
  }
}
