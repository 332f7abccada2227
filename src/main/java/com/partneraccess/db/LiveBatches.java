package com.partneraccess.db;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.Handler;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One NOTIFY for a batch of live events (V110): a statement that changes many rows at once (the expiry sweep's
 * batches) stores the payloads it would have NOTIFYed one by one in {@code live_batches} (one row per channel, in
 * its own transaction) and sends a single NOTIFY on {@value #CHANNEL} whose payload is the batch id. A listener of
 * {@code banners}, {@code access_changes} or {@code notifications} also LISTENs on {@value #CHANNEL} and, for each
 * batch id, {@link #fetch fetches} the payloads of its channels on its LISTEN connection and handles each as if it
 * had come on its own channel. PostgreSQL delivers the NOTIFY only on commit, so the rows are there when asked for.
 */
public final class LiveBatches {
  public static final String CHANNEL = "live_batches";
  /** Upper bound of one fetch; a batch that does not answer by then is logged and skipped. */
  private static final long FETCH_TIMEOUT_MILLIS = 30_000;
  /** Payloads handled in one turn of the event loop. */
  static final int CHUNK = 100;
  private static final Logger LOG = LoggerFactory.getLogger(LiveBatches.class);

  /** $1 batch id: sends the batch's one NOTIFY (queued until the transaction commits). */
  static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', $1::bigint::text)";
  /** $1 batch id, $2 channels: every payload of those channels, in the order the batch stored them. */
  static final String FETCH = """
      SELECT b.channel, p.payload
        FROM live_batches b CROSS JOIN LATERAL unnest(b.payloads) WITH ORDINALITY AS p(payload, n)
       WHERE b.id = $1 AND b.channel = ANY ($2::text[])
       ORDER BY b.channel, p.n""";

  private LiveBatches() {}

  /**
   * Hands the payloads to {@code handler} {@value #CHUNK} at a time, each chunk in its own turn of the listener's
   * event loop, so that a batch of thousands never holds the loop (and the requests it serves) for long.
   */
  static void dispatch(Context context, Iterator<Row> rows, BiConsumer<String, String> handler) {
    for (int i = 0; (context == null || i < CHUNK) && rows.hasNext(); i++) {
      Row r = rows.next();
      handler.accept(r.getString("channel"), r.getString("payload"));
    }
    if (rows.hasNext()) {
      context.runOnContext(v -> dispatch(context, rows, handler));
    }
  }

  /** Queues, in {@code tx}, the one NOTIFY of batch {@code id} (its rows already stored in the same transaction). */
  public static Future<Void> notify(SqlClient tx, long id) {
    return tx.preparedQuery(NOTIFY).execute(Tuple.of(id)).mapEmpty();
  }

  /**
   * A handler for NOTIFYs on {@value #CHANNEL}: fetches the batch's payloads of {@code channels} on the listener's
   * own connection ({@code connection}, null while it reconnects: the batch is missed, as any NOTIFY sent while a
   * listener is away) and passes each to {@code handler} as {@code (channel, payload)}.
   */
  public static Handler<String> listener(java.util.function.Supplier<PgConnection> connection, List<String> channels,
                                         BiConsumer<String, String> handler) {
    String[] wanted = channels.toArray(String[]::new);
    return payload -> {
      long id;
      try {
        id = Long.parseLong(payload.strip());
      } catch (NumberFormatException e) {
        LOG.warn("ignored a malformed live batch id: {}", payload);
        return;
      }
      PgConnection conn = connection.get();
      if (conn == null) {
        LOG.warn("live batch {} arrived while the listener's connection was away; skipped", id);
        return;
      }
      conn.preparedQuery(FETCH).execute(Tuple.of(id, (Object) wanted))
          .timeout(FETCH_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
          .onSuccess(rows -> dispatch(Vertx.currentContext(), rows.iterator(), handler))
          .onFailure(err -> LOG.warn("could not fetch live batch {}", id, err));
    };
  }
}
