package com.partneraccess.accounts;

import com.partneraccess.activity.ActivityLog;
import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import com.partneraccess.db.OneTimeLink;
import com.partneraccess.db.Sql;
import com.partneraccess.identity.Sha256;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * R25: the handover of an account a partner created. The partner names the owner (name and e-mail, never a
 * password); the owner follows a one-time link and sets its own password, and only then does the account
 * have an owner. The link's token is kept only as a SHA-256 hash, is single use and expires with
 * {@code policy.inviteDays}; a new handover replaces the pending claim.
 */
public final class OwnerClaimRepository {
  static final String CONNECTED = """
      SELECT a.business_name, p.name AS partner_name FROM connections c JOIN accounts a ON a.id = c.account_id
        JOIN partners p ON p.id = c.partner_id
       WHERE c.account_id = $1 AND c.partner_id = $2 AND c.disconnected_at IS NULL""";
  static final String REPLACE_PENDING = "UPDATE owner_claims SET status = 'replaced' WHERE account_id = $1 AND status = 'pending'";
  static final String INSERT = """
      INSERT INTO owner_claims (id, account_id, partner_id, name, email, token_hash, status, created_at, expires_at)
      VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8)""";
  static final String EMAIL_TAKEN = "SELECT 1 FROM users WHERE lower(email) = lower($1)";
  static final String CLAIM = """
      UPDATE owner_claims SET status = 'claimed', claimed_at = $2
       WHERE token_hash = $1 AND status = 'pending' AND expires_at > $2
      RETURNING id, account_id, partner_id, name, email""";
  static final String BY_TOKEN = "SELECT status, expires_at FROM owner_claims WHERE token_hash = $1";
  static final String AWAITING = """
      SELECT a.id FROM accounts a JOIN connections c ON c.account_id = a.id AND c.partner_id = a.created_by_partner
       WHERE a.created_by_partner = $1 AND c.disconnected_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM users o WHERE o.account_id = a.id AND o.role = 'owner')""";

  /** A replaced link reads as unknown: the newer one is the link to follow. */
  private static final OneTimeLink.Refusals REFUSALS = new OneTimeLink.Refusals(OwnerClaimRepository::notValid,
      status -> "replaced".equals(status) ? notValid()
          : Problem.INVITE_NOT_PENDING.exception("This link was already used; sign in"),
      expires -> Problem.INVITE_EXPIRED.exception("This link expired on " + expires.toLocalDate()
          + "; ask the partner to send a new one"));

  private static DomainException notValid() {
    return Problem.NOT_FOUND.exception(
        "This link is not valid (a newer one may have been sent); ask the partner to send it again");
  }

  private final Pool pool;
  private final AppClock clock;
  private final Duration validity;

  public OwnerClaimRepository(Pool pool, AppClock clock, int claimDays) {
    this.pool = pool;
    this.clock = clock;
    this.validity = Duration.ofDays(claimDays);
  }

  /** The owner a partner names for handover: a name and an e-mail, never a password (R25). */
  public record Owner(String name, String email) {}

  /** A pending claim and the one-time token of its link (shown once, in the e-mail; never stored). */
  public record Claim(UUID id, UUID accountId, String token, String name, String email, String expiresAt) {}

  /** Inside the caller's transaction: replaces a pending claim of the account and stores a new one. */
  Future<Claim> insert(SqlClient tx, UUID accountId, UUID partnerId, Owner owner, OffsetDateTime now) {
    UUID id = UUID.randomUUID();
    String token = OneTimeLink.newToken();
    OffsetDateTime expires = now.plus(validity);
    String email = owner.email().strip();
    return tx.preparedQuery(EMAIL_TAKEN).execute(Tuple.of(email))
        .compose(rows -> rows.size() > 0
            ? Future.failedFuture(Problem.EMAIL_TAKEN.exception("The email " + email + " is already registered"))
            : tx.preparedQuery(REPLACE_PENDING).execute(Tuple.of(accountId)))
        .compose(v -> tx.preparedQuery(INSERT).execute(Tuple.from(new Object[] {id, accountId, partnerId,
            owner.name().strip(), email, Sha256.hex(token), now, expires})))
        .compose(v -> ActivityLog.record(tx, accountId, now, "owner.claim_sent", null, partnerId,
            "The partner handed the account over to " + email + ": a link to claim it was e-mailed"))
        .map(v -> new Claim(id, accountId, token, owner.name().strip(), email, expires.toInstant().toString()));
  }

  /** The account's business and partner name, for the e-mail. */
  public record Handover(Claim claim, String businessName, String partnerName) {}

  /** R25: a connected partner hands over an account that has no owner yet (again: the old link stops working). */
  public Future<Handover> handOver(UUID accountId, UUID partnerId, Owner owner) {
    OffsetDateTime now = clock.nowUtc();
    return pool.withTransaction(tx -> tx.preparedQuery(CONNECTED).execute(Tuple.of(accountId, partnerId))
        .compose(rows -> {
          Row c = Sql.first(rows);
          if (c == null) {
            return Future.failedFuture(Problem.NOT_CONNECTED.exception("You are not connected to this account"));
          }
          return tx.preparedQuery(AccountRepository.HAS_OWNER).execute(Tuple.of(accountId)).compose(o -> o.size() > 0
              ? Future.failedFuture(Problem.OWNER_EXISTS.exception(
                  "The account already has an owner; only that owner can hand it over"))
              : insert(tx, accountId, partnerId, owner, now)
                  .map(claim -> new Handover(claim, c.getString("business_name"), c.getString("partner_name"))));
        }));
  }

  /** Who claimed an account. */
  public record Claimed(UUID accountId, UUID userId, String name) {}

  /** R25: the owner claims the account with its own password; the link is then spent. */
  public Future<Claimed> claim(String token, String passwordHash) {
    OffsetDateTime now = clock.nowUtc();
    String hash = Sha256.hex(token);
    UUID userId = UUID.randomUUID();
    return pool.withTransaction(tx -> OneTimeLink.spend(tx, CLAIM, BY_TOKEN, hash, now, REFUSALS).compose(r -> {
      UUID accountId = r.getUUID("account_id");
      AccountRepository.NewUser user = new AccountRepository.NewUser(r.getString("name"), r.getString("email"), passwordHash);
      return tx.preparedQuery(AccountRepository.HAS_OWNER).execute(Tuple.of(accountId)).compose(o -> o.size() > 0
              ? Future.failedFuture(Problem.OWNER_EXISTS.exception("The account already has an owner"))
              : AccountRepository.insertUser(tx, userId, user, accountId, "owner", now))
          .compose(v -> ActivityLog.record(tx, accountId, now, "owner.claimed", userId, null,
              r.getString("name") + " claimed the account and became its owner"))
          .map(v -> new Claimed(accountId, userId, r.getString("name")));
    }));
  }

  /** The accounts this partner created that still wait for their owner (the Customers page offers handover). */
  public Future<Set<UUID>> awaitingHandover(UUID partnerId) {
    return pool.preparedQuery(AWAITING).execute(Tuple.of(partnerId)).map(rows -> {
      Set<UUID> out = new HashSet<>();
      rows.forEach(r -> out.add(r.getUUID("id")));
      return out;
    });
  }
}
