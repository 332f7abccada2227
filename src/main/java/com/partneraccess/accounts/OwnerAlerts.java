package com.partneraccess.accounts;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * R24: raises a banner for the account's owner inside the caller's transaction when a partner changes its
 * staff. The composition root wires it to the banner store (accounts cannot import banner: banner's socket
 * resolves callers through accounts).
 */
@FunctionalInterface
public interface OwnerAlerts {
  Future<?> staffChangedByPartner(SqlClient tx, UUID accountId, UUID partnerId, String message, OffsetDateTime at);
}
