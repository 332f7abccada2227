package com.partneraccess.identity;

import com.partneraccess.authz.Principal;
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
  private final boolean trustForwardedFor;

  public IdentityService(IdentityRepository identity, PasswordHasher hasher, TokenService tokens, String publicUrl,
                         SignInThrottle throttle, Pool pool, boolean trustForwardedFor) {
    this.trustForwardedFor = trustForwardedFor;
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
            new Principal(np.userId(), Principal.Kind.PARTNER, null, "admin", np.partnerId(), person, org)));
  }

  /**
   * A sign-in as it arrived: the connection's address and the {@code X-Forwarded-For} header (used only when
   * {@code limits.trustForwardedFor} says a proxy in front sets it; its last entry is the address that proxy saw).
   */
  public record SignIn(String email, String password, String remoteAddress, String forwardedFor) {}

  /**
   * Counts the attempt first (per e-mail and client address, and per e-mail; in PostgreSQL, see
   * {@link SignInThrottle}), then checks the password on the bounded hashing pool, at the same cost whether or not
   * the e-mail exists.
   */
  public Future<Principal> signIn(SignIn cmd) {
    String email = cmd.email();
    String client = clientAddress(cmd);
    return throttle.attempt(email, client)
        .compose(counted -> identity.byEmail(email))
        .compose(user -> hasher.verify(cmd.password(), user == null ? null : user.passwordHash())
            .compose(ok -> ok && user != null
                ? throttle.succeeded(email, client).map(user.principal())
                : Future.failedFuture(Problem.INVALID_CREDENTIALS.exception("The email or password is wrong"))));
  }

  String clientAddress(SignIn cmd) {
    if (trustForwardedFor && cmd.forwardedFor() != null && !cmd.forwardedFor().isBlank()) {
      String[] hops = cmd.forwardedFor().split(",");
      String last = hops[hops.length - 1].strip();
      if (!last.isEmpty() && last.length() <= 64) {
        return last;
      }
    }
    return cmd.remoteAddress() == null ? "unknown" : cmd.remoteAddress();
  }

  public TokenService tokens() {
    return tokens;
  }
}
