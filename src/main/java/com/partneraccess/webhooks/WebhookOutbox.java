package com.partneraccess.webhooks;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * R33: writes an event to the webhook outbox inside the caller's transaction, and fans it out to the active
 * subscriptions of its kind in the same statement. Called once per event where the change is made
 * (ConnectionService, ConnectionRepository.insert); the expiry sweep's one-statement batch uses
 * {@link #expiredCtes}. Nothing is sent from here: {@link WebhookDeliveryVerticle} delivers what committed.
 * The event's data always has {@code connectionId, accountId, partnerId, partner, account} (names read here, as they
 * are in the transaction) plus what the caller adds.
 */
public final class WebhookOutbox {
  /** $1 kind, $2 connection, $3 account, $4 partner, $5 extra data (json), $6 when. */
  static final String RECORD = """
      WITH event AS (
        INSERT INTO webhook_events (kind, connection_id, account_id, partner_id, data, occurred_at)
        SELECT $1, $2, $3, $4,
               jsonb_build_object('connectionId', $2::uuid, 'accountId', $3::uuid, 'partnerId', $4::uuid,
                                  'partner', (SELECT name FROM partners WHERE id = $4),
                                  'account', (SELECT business_name FROM accounts WHERE id = $3)) || $5::jsonb,
               $6
        RETURNING id, kind, connection_id, occurred_at
      )
      INSERT INTO webhook_deliveries (subscription_id, event_id, connection_id, status, next_attempt_at, created_at)
      SELECT s.id, e.id, e.connection_id, 'pending', e.occurred_at, e.occurred_at
        FROM event e JOIN webhook_subscriptions s ON s.active AND e.kind = ANY (s.events)""";

  private WebhookOutbox() {}

  /** Records one event in {@code tx}; {@code extra} (may be null) is merged into its data. */
  public static Future<Void> record(SqlClient tx, WebhookKind kind, UUID connectionId, UUID accountId, UUID partnerId,
                                    JsonObject extra, OffsetDateTime at) {
    return tx.preparedQuery(RECORD).execute(Tuple.of(kind.wire, connectionId, accountId, partnerId,
        extra == null ? new JsonObject() : extra, at)).mapEmpty();
  }

  /**
   * The same, as two data-modifying CTEs for a statement whose CTE {@code rows} has {@code id} (the connection),
   * {@code account_id}, {@code partner_id}, {@code partner_name} and {@code business_name}: one
   * {@code access.expired} event per row at {@code now} (an SQL expression). Begins with the CTE name, no comma.
   */
  public static String expiredCtes(String rows, String now) {
    return """
        hook_events AS (
          INSERT INTO webhook_events (kind, connection_id, account_id, partner_id, data, occurred_at)
          SELECT '%3$s', r.id, r.account_id, r.partner_id,
                 jsonb_build_object('connectionId', r.id, 'accountId', r.account_id, 'partnerId', r.partner_id,
                                    'partner', r.partner_name, 'account', r.business_name, 'access', 'expired'),
                 %2$s::timestamptz
            FROM %1$s r
          RETURNING id, kind, connection_id, occurred_at
        ), hook_deliveries AS (
          INSERT INTO webhook_deliveries (subscription_id, event_id, connection_id, status, next_attempt_at, created_at)
          SELECT s.id, e.id, e.connection_id, 'pending', e.occurred_at, e.occurred_at
            FROM hook_events e JOIN webhook_subscriptions s ON s.active AND e.kind = ANY (s.events)
        )""".formatted(rows, now, WebhookKind.ACCESS_EXPIRED.wire);
  }
}
