package com.partneraccess.connections;

import com.partneraccess.access.ExpiryRule;
import com.partneraccess.connections.ConnectionRepository.LiveConnection;
import com.partneraccess.webhooks.WebhookKind;
import com.partneraccess.webhooks.WebhookOutbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.time.OffsetDateTime;

/**
 * The steps {@link ConnectionService} and {@link AccessRequestService} share inside a change's transaction, after
 * the live connection is locked: its webhook event and whether its access is in force now.
 */
final class ConnectionSteps {
  private ConnectionSteps() {}

  /** R33: the change's webhook event, in the change's transaction (delivered only if it commits). */
  static Future<Void> hook(SqlConnection tx, LiveConnection c, WebhookKind kind, JsonObject extra,
                           OffsetDateTime now) {
    return WebhookOutbox.record(tx, kind, c.id(), c.accountId(), c.partnerId(), extra, now);
  }

  /** R14: enabled and not past its expiry (the sweep may not have run yet). */
  static boolean effectivelyEnabled(LiveConnection c, OffsetDateTime now) {
    return "enabled".equals(ExpiryRule.effectiveAccess(c.access(),
        c.expiresAt() == null ? null : c.expiresAt().toInstant(), now.toInstant()));
  }
}
