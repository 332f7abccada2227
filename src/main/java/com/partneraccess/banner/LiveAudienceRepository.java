package com.partneraccess.banner;

import com.partneraccess.authz.TeamScope;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * R28: which of a partner's users with a live socket may receive an event about one customer account, read afresh
 * for each event (so a role or an assignment changed is in force for the next event): a current admin hears of
 * every customer, a member of those assigned to it ({@link TeamScope#hearsOf}, as the notifications).
 */
final class LiveAudienceRepository {
  /** $1 the account, $2 the partner, $3 the users asking (at most the distinct users of one event loop's sockets). */
  static final String VIEWERS = "SELECT u.id FROM users u WHERE u.id = ANY($3::uuid[]) AND u.partner_id = $2"
      + " AND u.removed_at IS NULL AND " + TeamScope.hearsOf("u", "$1", "$2");

  private final Pool pool;

  LiveAudienceRepository(Pool pool) {
    this.pool = pool;
  }

  /** The users among {@code users} that may receive the partner's events about {@code accountId}. */
  Future<Set<String>> viewers(UUID accountId, UUID partnerId, List<UUID> users) {
    return pool.preparedQuery(VIEWERS).execute(Tuple.of(accountId, partnerId, users.toArray(UUID[]::new)))
        .map(rows -> {
          Set<String> out = new HashSet<>();
          rows.forEach(r -> out.add(r.getUUID("id").toString()));
          return out;
        });
  }
}
