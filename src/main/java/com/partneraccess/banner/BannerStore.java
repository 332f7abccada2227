package com.partneraccess.banner;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Stores a banner (R17) inside the caller's transaction and queues a PostgreSQL NOTIFY on channel
 * {@value #CHANNEL}. PostgreSQL delivers a NOTIFY only when the transaction commits, so a banner reaches
 * sockets (on any instance) only for changes that committed.
 */
public final class BannerStore {
  public static final String CHANNEL = "banners";

  static final String INSERT = """
      INSERT INTO banners (id, audience, account_id, partner_id, kind, message, request_id, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";
  static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', $1)";
  static final String DISMISS_OF_REQUESTS = """
      UPDATE banners SET dismissed_at = $2 WHERE request_id = ANY($1::uuid[]) AND dismissed_at IS NULL""";

  private BannerStore() {}

  public static Future<UUID> raise(SqlClient tx, BannerKind kind, UUID accountId, UUID partnerId, String message,
                                   UUID requestId, OffsetDateTime at) {
    UUID id = UUID.randomUUID();
    String audience = kind.audience == BannerKind.Audience.ACCOUNT ? "account" : "partner";
    JsonObject event = new JsonObject().put("id", id.toString()).put("audience", audience)
        .put("accountId", accountId.toString()).put("partnerId", partnerId == null ? null : partnerId.toString())
        .put("kind", kind.code).put("message", message)
        .put("requestId", requestId == null ? null : requestId.toString()).put("createdAt", at.toInstant().toString());
    return tx.preparedQuery(INSERT)
        .execute(Tuple.of(id, audience, accountId, partnerId, kind.code, message, requestId, at))
        .compose(r -> tx.preparedQuery(NOTIFY).execute(Tuple.of(event.encode())))
        .map(r -> id);
  }

  /** Dismisses, inside the caller's transaction, the banners of requests that were settled (none: no statement). */
  public static Future<Void> dismissOfRequests(SqlClient tx, List<UUID> requestIds, OffsetDateTime at) {
    if (requestIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(DISMISS_OF_REQUESTS).execute(Tuple.of(requestIds.toArray(UUID[]::new), at)).mapEmpty();
  }
}
