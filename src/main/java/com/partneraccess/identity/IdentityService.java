package com.partneraccess.identity;

import com.partneraccess.authz.Principal;
import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import com.partneraccess.bus.Input;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.util.UUID;

/** THE home of partner organisations' sign-up, signing in (throttled) and signing out; tokens are JWTs. */
public final class IdentityService {
  private final IdentityRepository identity;
  private final PasswordHasher hasher;
  private final TokenService tokens;
  private final String publicUrl;
  private final SignInThrottle throttle;
  private final Pool pool;

  public IdentityService(IdentityRepository identity, PasswordHasher hasher, TokenService tokens, String publicUrl,
                         SignInThrottle throttle, Pool pool) {
    this.identity = identity;
    this.hasher = hasher;
    this.tokens = tokens;
    this.publicUrl = publicUrl;
    this.throttle = throttle;
    this.pool = pool;
  }

  public String referralLink(String code) {
    return publicUrl + "/signup?ref=" + code;
  }

  /** Signing out: the token given stops working on every instance (R26). */
  public Future<Void> signOut(String token) {
    return tokens.revoke(pool, token);
  }

  /** What signing up a partner organisation returns: the first partner user, signed in. */
  public record PartnerSignedUp(UUID partnerId, UUID userId, String referralCode, String referralLink, Principal principal) {}

  /** Shared by the API and the sign-up page. */
  public Future<PartnerSignedUp> signUpPartner(String organisation, String name, String email, String password) {
    String org = Input.requiredText(organisation, "Organisation", Input.NAME_MAX);
    String person = Input.requiredText(name, "Your name", Input.NAME_MAX);
    return hasher.hash(password)
        .compose(hash -> identity.signUpPartner(org, person, email, hash))
        .map(np -> new PartnerSignedUp(np.partnerId(), np.userId(), np.referralCode(), referralLink(np.referralCode()),
            new Principal(np.userId(), Principal.Kind.PARTNER, null, null, np.partnerId(), person)));
  }

  /** Checks the password (on a worker thread, same cost whether or not the email exists). */
  public Future<Principal> signIn(String email, String password) {
    try {
      throttle.check(email);
    } catch (DomainException refused) {
      return Future.failedFuture(refused);
    }
    return identity.byEmail(email).compose(user -> hasher.verify(password, user == null ? null : user.passwordHash())
        .compose(ok -> {
          if (ok && user != null) {
            throttle.succeeded(email);
            return Future.succeededFuture(user.principal());
          }
          throttle.failed(email);
          return Future.failedFuture(Problem.INVALID_CREDENTIALS.exception("The email or password is wrong"));
        }));
  }

  public TokenService tokens() {
    return tokens;
  }
}
