package com.partneraccess.identity;

import com.partneraccess.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Signed-out tokens (R26). A token is known by its revocation key ({@link TokenService#revocationKey}: the SHA-256
 * of its {@code jti}, which no re-spelling of the token changes), stored with its expiry in column
 * {@code token_hash}, and NOTIFYed on channel {@value #CHANNEL}; every process holds the keys in a process-wide
 * local map ({@link RevocationVerticle} loads it whenever its LISTEN connection (re)connects and applies the
 * notifications), so checking a token costs no I/O, not even on the partner hot path. Each revocation is also
 * published on {@link Addresses#TOKEN_REVOKED} so sockets opened with the token close. Entries leave once the
 * token would have expired anyway. Token expiry is real time.
 */
public final class RevokedTokens {
  public static final String CHANNEL = "revoked_tokens";
  static final String MAP = "revoked-tokens";

  static final String INSERT = """
      INSERT INTO revoked_tokens (token_hash, expires_at) VALUES ($1, $2)
      ON CONFLICT (token_hash) DO UPDATE SET expires_at = greatest(revoked_tokens.expires_at, EXCLUDED.expires_at)""";
  static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', $1)";
  static final String LOAD = "SELECT token_hash, expires_at FROM revoked_tokens WHERE expires_at > $1";
  static final String PURGE = "DELETE FROM revoked_tokens WHERE expires_at <= $1";

  private final Vertx vertx;
  private final LocalMap<String, Long> local;

  public RevokedTokens(Vertx vertx) {
    this.vertx = vertx;
    this.local = vertx.sharedData().getLocalMap(MAP);
  }

  public boolean isRevoked(String key) {
    Long until = local.get(key);
    return until != null && until > System.currentTimeMillis();
  }

  /** Until when the revocation with this key is in force (epoch millis), or null when there is none in force. */
  Long until(String key) {
    Long until = local.get(key);
    return until != null && until > System.currentTimeMillis() ? until : null;
  }

  /** Ends a token at once in this process, and in every other once the transaction commits. */
  public Future<Void> revoke(Pool pool, String key, Instant expiresAt) {
    put(key, expiresAt.toEpochMilli());
    return pool.withTransaction(tx -> tx.preparedQuery(INSERT)
        .execute(Tuple.of(key, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))
        .compose(v -> tx.preparedQuery(NOTIFY).execute(Tuple.of(key + ":" + expiresAt.toEpochMilli()))))
        .mapEmpty();
  }

  /** Records a revocation inside the caller's transaction; the NOTIFY is delivered when it commits. */
  Future<Void> revokeIn(io.vertx.sqlclient.SqlClient tx, String key, Instant expiresAt) {
    return tx.preparedQuery(INSERT).execute(Tuple.of(key, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))
        .compose(v -> tx.preparedQuery(NOTIFY).execute(Tuple.of(key + ":" + expiresAt.toEpochMilli())))
        .mapEmpty();
  }

  /** Applies a notification {@code <key>:<expiry millis>} from another process. */
  void remember(String payload) {
    int colon = payload.lastIndexOf(':');
    if (colon > 0) {
      try {
        put(payload.substring(0, colon), Long.parseLong(payload.substring(colon + 1)));
      } catch (NumberFormatException ignored) {
        // not one of ours
      }
    }
  }

  /** Keeps the later expiry of two revocations of one key (a user's sessions ended twice: the later cut-off wins). */
  private void put(String key, long untilMillis) {
    Long before = local.get(key);
    if (before != null && before >= untilMillis) {
      return;
    }
    local.put(key, untilMillis);
    // a later cut-off of a user's sessions ends the sockets opened since the first one too
    vertx.eventBus().publish(Addresses.TOKEN_REVOKED, key);
  }

  /**
   * Loads the revocations that still matter and deletes the rest; returns how many are in force. Run whenever the
   * LISTEN connection (re)connects: notifications sent while it was down are lost, the table is not.
   */
  Future<Integer> load(Pool pool) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return pool.preparedQuery(PURGE).execute(Tuple.of(now))
        .compose(v -> pool.preparedQuery(LOAD).execute(Tuple.of(now)))
        .map(rows -> {
          for (Row r : rows) {
            put(r.getString("token_hash"), r.getOffsetDateTime("expires_at").toInstant().toEpochMilli());
          }
          return rows.size();
        });
  }

  /** Forgets tokens that have expired anyway. */
  void forgetExpired() {
    long now = System.currentTimeMillis();
    local.keySet().forEach(k -> {
      Long until = local.get(k);
      if (until != null && until <= now) {
        local.remove(k);
      }
    });
  }
}
