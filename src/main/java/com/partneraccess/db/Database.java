package com.partneraccess.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * The Pg client pool. It is shared by name, so every verticle instance of a process uses the same
 * connections; each verticle closes its handle when it stops.
 */
public final class Database {
  private Database() {}

  public static Pool pool(Vertx vertx, DatabaseUrl url, int maxSize) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(maxSize).setShared(true).setName("partner-access-" + url.database())
            .setMaxWaitQueueSize(10_000))
        .connectingTo(url.connectOptions())
        .using(vertx)
        .build();
  }
}
