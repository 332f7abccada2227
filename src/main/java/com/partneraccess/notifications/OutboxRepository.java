package com.partneraccess.notifications;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of the e-mail outbox's relay. A batch is claimed in one short transaction: up to {@code batch} due rows
 * locked with {@code FOR UPDATE SKIP LOCKED} (instances relaying at once take disjoint rows and never wait), their
 * attempt counted and their next attempt pushed past a lease, so nothing is held open while SMTP talks. The
 * outcome of each send is then written on its own: sent, retry at a later time, or failed.
 */
final class OutboxRepository {
  /** $1 now, $2 batch size, $3 the lease's end (a row claimed by an instance that died is retried then). */
  static final String CLAIM = """
      WITH due AS (
        SELECT id FROM mail_outbox
         WHERE status = 'pending' AND next_attempt_at <= $1
         ORDER BY next_attempt_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED
      )
      UPDATE mail_outbox m SET attempts = m.attempts + 1, next_attempt_at = $3
       WHERE m.id = ANY (ARRAY(SELECT id FROM due))
      RETURNING m.id, m.recipient, m.template, m.model, m.attempts""";
  static final String SENT = """
      UPDATE mail_outbox SET status = 'sent', sent_at = $2, last_error = NULL WHERE id = $1 AND status = 'pending'""";
  static final String RETRY = """
      UPDATE mail_outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1 AND status = 'pending'""";
  static final String FAILED = """
      UPDATE mail_outbox SET status = 'failed', last_error = $2 WHERE id = $1 AND status = 'pending'""";

  /**
   * Retention: $1 the cut-off, $2 the most rows one statement deletes. Only e-mails that were sent or gave up;
   * pending ones stay however old they are (V140's partial index finds the candidates oldest first).
   */
  static final String PURGE = """
      DELETE FROM mail_outbox WHERE id IN (
        SELECT id FROM mail_outbox WHERE status <> 'pending' AND created_at < $1 ORDER BY created_at LIMIT $2)""";

  /** One e-mail to send: to whom, which template, its model, and which attempt this is (1 for the first). */
  record Mail(UUID id, String recipient, String template, JsonObject model, int attempt) {}

  private final Pool pool;

  OutboxRepository(Pool pool) {
    this.pool = pool;
  }

  Future<List<Mail>> claim(OffsetDateTime now, int batch, OffsetDateTime leaseEnd) {
    return pool.withTransaction(tx -> tx.preparedQuery(CLAIM).execute(Tuple.of(now, batch, leaseEnd)).map(rows -> {
      List<Mail> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        Object model = r.getValue("model");
        out.add(new Mail(r.getUUID("id"), r.getString("recipient"), r.getString("template"),
            model instanceof JsonObject j ? j : new JsonObject(String.valueOf(model)), r.getInteger("attempts")));
      }
      return out;
    }));
  }

  Future<Void> sent(UUID id, OffsetDateTime at) {
    return pool.preparedQuery(SENT).execute(Tuple.of(id, at)).mapEmpty();
  }

  Future<Void> retry(UUID id, OffsetDateTime at, String error) {
    return pool.preparedQuery(RETRY).execute(Tuple.of(id, at, error)).mapEmpty();
  }

  /** Deletes at most {@code batch} finished e-mails written before {@code before}; returns how many. */
  Future<Integer> purge(OffsetDateTime before, int batch) {
    return pool.preparedQuery(PURGE).execute(Tuple.of(before, batch)).map(rows -> rows.rowCount());
  }

  Future<Void> failed(UUID id, String error) {
    return pool.preparedQuery(FAILED).execute(Tuple.of(id, error)).mapEmpty();
  }
}
