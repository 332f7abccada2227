package com.partneraccess.notifications;

import com.partneraccess.db.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The SQL of the notification centre: a user's notifications, read marks and choices. Returns records. */
public final class NotificationRepository {
  /** $1 user, $2/$3 the cursor (created_at, id of the last row of the previous page, or nulls), $4 limit. */
  static final String PAGE = """
      SELECT id, kind, message, link, created_at, read_at FROM notifications
       WHERE user_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
       ORDER BY created_at DESC, id DESC
       LIMIT $4""";
  /** Counted up to a cap: the header shows "99+" beyond, and a count never scans a whole history. */
  static final String UNREAD = """
      SELECT count(*) FROM (SELECT 1 FROM notifications WHERE user_id = $1 AND read_at IS NULL LIMIT $2) u""";
  static final String MARK_READ = """
      UPDATE notifications SET read_at = $3 WHERE id = $1 AND user_id = $2 AND read_at IS NULL RETURNING id""";
  static final String EXISTS = "SELECT 1 FROM notifications WHERE id = $1 AND user_id = $2";
  static final String MARK_ALL_READ = """
      UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL""";
  static final String USER = "SELECT kind, role FROM users WHERE id = $1";
  static final String PREFERENCES = "SELECT kind, in_app, email FROM notification_preferences WHERE user_id = $1";
  static final String SAVE_PREFERENCE = """
      INSERT INTO notification_preferences (user_id, kind, in_app, email) VALUES ($1, $2, $3, $4)
      ON CONFLICT (user_id, kind) DO UPDATE SET in_app = EXCLUDED.in_app, email = EXCLUDED.email""";

  /** A user's stored choice for one kind. */
  public record Choice(boolean inApp, boolean email) {}

  /** Who a user is, as far as notifications care: a partner user, or a customer user with a role. */
  public record Recipient(boolean partner, String role) {}

  private final Pool pool;

  public NotificationRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<List<Notification>> page(UUID userId, Instant afterAt, UUID afterId, int limit) {
    return pool.preparedQuery(PAGE)
        .execute(Tuple.of(userId, afterAt == null ? null : OffsetDateTime.ofInstant(afterAt, java.time.ZoneOffset.UTC),
            afterId, limit))
        .map(rows -> {
          List<Notification> out = new ArrayList<>(rows.size());
          for (Row r : rows) {
            out.add(new Notification(r.getUUID("id"), r.getString("kind"), r.getString("message"), r.getString("link"),
                Sql.instant(r, "created_at"), Sql.instant(r, "read_at")));
          }
          return out;
        });
  }

  public Future<Integer> unread(UUID userId, int cap) {
    return pool.preparedQuery(UNREAD).execute(Tuple.of(userId, cap)).map(rows -> rows.iterator().next().getInteger(0));
  }

  /** True when it was unread and is now read; false when it was read already; fails NOT_FOUND when it is not theirs. */
  public Future<Boolean> markRead(UUID userId, UUID id, OffsetDateTime at) {
    return pool.preparedQuery(MARK_READ).execute(Tuple.of(id, userId, at)).compose(rows -> rows.size() > 0
        ? Future.succeededFuture(true)
        : pool.preparedQuery(EXISTS).execute(Tuple.of(id, userId)).map(found -> {
          if (found.size() == 0) {
            throw com.partneraccess.bus.Problem.NOT_FOUND.exception("You have no such notification");
          }
          return false;
        }));
  }

  public Future<Integer> markAllRead(UUID userId, OffsetDateTime at) {
    return pool.preparedQuery(MARK_ALL_READ).execute(Tuple.of(userId, at)).map(rows -> rows.rowCount());
  }

  /** The user's kind and current role (a role changes with an owner change; the token may be older). */
  public Future<Recipient> recipient(UUID userId) {
    return pool.preparedQuery(USER).execute(Tuple.of(userId)).map(rows -> {
      Row r = Sql.first(rows);
      if (r == null) {
        throw com.partneraccess.bus.Problem.NOT_FOUND.exception("This user no longer exists");
      }
      return new Recipient("partner".equals(r.getString("kind")), r.getString("role"));
    });
  }

  public Future<Map<String, Choice>> choices(UUID userId) {
    return pool.preparedQuery(PREFERENCES).execute(Tuple.of(userId)).map(rows -> {
      Map<String, Choice> out = new HashMap<>();
      for (Row r : rows) {
        out.put(r.getString("kind"), new Choice(r.getBoolean("in_app"), r.getBoolean("email")));
      }
      return out;
    });
  }

  /** Saves every given choice in one transaction. */
  public Future<Void> saveChoices(UUID userId, Map<String, Choice> choices) {
    List<Tuple> batch = new ArrayList<>();
    choices.forEach((kind, c) -> batch.add(Tuple.of(userId, kind, c.inApp(), c.email())));
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.withTransaction(tx -> tx.preparedQuery(SAVE_PREFERENCE).executeBatch(batch)).mapEmpty();
  }
}
