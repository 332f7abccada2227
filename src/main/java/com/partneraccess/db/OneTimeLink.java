package com.partneraccess.db;

import com.partneraccess.bus.DomainException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one-time links that are e-mailed (team invitations, staff invitations, owner claims): a random token shown once,
 * kept only as its hash, spent at most once by a conditional update so two clicks have one winner. Each feature
 * keeps its own statements and words; this is the shared step of spending one.
 */
public final class OneTimeLink {
  private static final SecureRandom RANDOM = new SecureRandom();

  private OneTimeLink() {}

  /** A new link's token: 32 random bytes, URL-safe Base64 without padding. */
  public static String newToken() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /**
   * Why a link could not be spent, in the feature's own words: no link has this token; the link is no longer pending
   * (its status: used, replaced …); the link was pending but expired (when).
   */
  public record Refusals(Supplier<DomainException> unknown, Function<String, DomainException> notPending,
                         Function<OffsetDateTime, DomainException> expired) {}

  /**
   * Inside {@code tx}: spends the link whose token hashes to {@code tokenHash}. {@code spend} is the feature's
   * conditional update ({@code $1} the hash, {@code $2} now; it matches only a pending, unexpired link and returns
   * the row the feature needs); {@code status} reads {@code status} and {@code expires_at} by the hash ({@code $1}).
   * Returns the spent row, or fails with the refusal that says why the link cannot be used.
   */
  public static Future<Row> spend(SqlClient tx, String spend, String status, String tokenHash, OffsetDateTime now,
                                  Refusals refusals) {
    return tx.preparedQuery(spend).execute(Tuple.of(tokenHash, now)).compose(rows -> {
      Row spent = Sql.first(rows);
      return spent != null ? Future.succeededFuture(spent)
          : tx.preparedQuery(status).execute(Tuple.of(tokenHash)).compose(s -> Future.failedFuture(why(Sql.first(s), refusals)));
    });
  }

  private static DomainException why(Row link, Refusals refusals) {
    if (link == null) {
      return refusals.unknown().get();
    }
    if (!"pending".equals(link.getString("status"))) {
      return refusals.notPending().apply(link.getString("status"));
    }
    return refusals.expired().apply(link.getOffsetDateTime("expires_at"));
  }
}
