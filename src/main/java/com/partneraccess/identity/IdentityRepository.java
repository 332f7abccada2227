package com.partneraccess.identity;

import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Problem;
import com.partneraccess.db.Sql;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.security.SecureRandom;
import java.util.UUID;

/** Partner organisations and the look-ups sign-in needs. */
public final class IdentityRepository {
  static final String INSERT_PARTNER = "INSERT INTO partners (id, name, referral_code, created_at) VALUES ($1, $2, $3, $4)";
  static final String INSERT_PARTNER_USER = """
      INSERT INTO users (id, email, password_hash, name, kind, partner_id, partner_role, created_at)
      VALUES ($1, $2, $3, $4, 'partner', $5, 'admin', $6)""";
  static final String BY_EMAIL = """
      SELECT u.id, u.password_hash, u.name, u.kind, u.account_id, COALESCE(u.role, u.partner_role) AS role,
             u.partner_id, p.name AS organisation
        FROM users u LEFT JOIN partners p ON p.id = u.partner_id
       WHERE lower(u.email) = lower($1) AND u.removed_at IS NULL""";
  static final String PARTNER = "SELECT id, name, referral_code, created_at FROM partners WHERE id = $1";
  static final String PARTNER_BY_CODE = "SELECT id, name, referral_code FROM partners WHERE referral_code = $1";

  private static final char[] CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Pool pool;
  private final AppClock clock;

  public IdentityRepository(Pool pool, AppClock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  public record NewPartner(UUID partnerId, UUID userId, String referralCode) {}

  public record StoredUser(UUID id, String passwordHash, Principal principal) {}

  public record Partner(UUID id, String name, String referralCode) {}

  public Future<NewPartner> signUpPartner(String organisation, String name, String email, String passwordHash) {
    var now = clock.nowUtc();
    UUID partnerId = UUID.randomUUID();
    UUID userId = UUID.randomUUID();
    String code = referralCode();
    return pool.withTransaction(tx -> tx.preparedQuery(INSERT_PARTNER).execute(Tuple.of(partnerId, organisation.strip(), code, now))
        .compose(v -> tx.preparedQuery(INSERT_PARTNER_USER)
            .execute(Tuple.of(userId, email.strip(), passwordHash, name.strip(), partnerId, now)))
        .recover(err -> Future.failedFuture(Sql.uniqueAs("users_email_key", Problem.EMAIL_TAKEN,
            "The email " + email.strip() + " is already registered").apply(err)))
        .map(v -> new NewPartner(partnerId, userId, code)));
  }

  /** The stored user for a sign-in, or null when the email is unknown. */
  public Future<StoredUser> byEmail(String email) {
    return pool.preparedQuery(BY_EMAIL).execute(Tuple.of(email.strip())).map(rows -> {
      Row r = Sql.first(rows);
      if (r == null) {
        return null;
      }
      Principal.Kind kind = "partner".equals(r.getString("kind")) ? Principal.Kind.PARTNER : Principal.Kind.CUSTOMER;
      return new StoredUser(r.getUUID("id"), r.getString("password_hash"), new Principal(r.getUUID("id"), kind,
          r.getUUID("account_id"), r.getString("role"), r.getUUID("partner_id"), r.getString("name"),
          r.getString("organisation")));
    });
  }

  public Future<Partner> partner(UUID partnerId) {
    return pool.preparedQuery(PARTNER).execute(Tuple.of(partnerId)).compose(rows -> {
      Row r = Sql.first(rows);
      return r == null ? Future.failedFuture(Problem.TOKEN_INVALID.exception("This partner no longer exists"))
          : Future.succeededFuture(new Partner(r.getUUID("id"), r.getString("name"), r.getString("referral_code")));
    });
  }

  /** The partner whose referral link this code is, or null (the sign-up page names it). */
  public Future<Partner> partnerByReferralCode(String code) {
    if (code == null || code.isBlank()) {
      return Future.succeededFuture(null);
    }
    return pool.preparedQuery(PARTNER_BY_CODE).execute(Tuple.of(code.strip())).map(rows -> {
      Row r = Sql.first(rows);
      return r == null ? null : new Partner(r.getUUID("id"), r.getString("name"), r.getString("referral_code"));
    });
  }

  /** Ten characters from an unambiguous alphabet: about 50 bits, so a collision is not a practical concern. */
  static String referralCode() {
    char[] c = new char[10];
    for (int i = 0; i < c.length; i++) {
      c[i] = CODE_ALPHABET[RANDOM.nextInt(CODE_ALPHABET.length)];
    }
    return new String(c);
  }
}
