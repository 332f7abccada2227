package com.partneraccess.identity;

import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;
import com.partneraccess.mail.MailTemplates;
import com.partneraccess.mail.Mailer;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * THE home of account recovery and of every signed-in user's own settings (the API's {@code /me},
 * {@code /password-resets}, {@code /email-changes} and the pages {@code /forgot-password}, {@code /reset-password},
 * {@code /settings}, {@code /confirm-email}).
 *
 * <p>Forgot password: the answer is the same sentence whether or not the e-mail has an account, and comes before
 * anything is looked up (the link is made and e-mailed afterwards), so neither the words nor the time tell; requests
 * are counted per e-mail asked about ({@value #PER_EMAIL} an hour) and per client address ({@value #PER_ADDRESS} an
 * hour), 429 beyond. The link works once and for {@link #RESET_VALIDITY}; using it sets the password, clears the
 * sign-in lock-out ({@link SignInThrottle}) and ends every session of the user ({@link TokenService#endSessionsOf}).
 *
 * <p>Settings act on the caller's own user only, so the one rule is being signed in; the partner organisation's
 * name is the portal operation {@link Operation#CHANGE_ORGANISATION}. An e-mail change happens only when the link
 * sent to the new address is followed; changing the password needs the current one and ends the other sessions.
 */
public final class RecoveryService {
  private static final Logger LOG = LoggerFactory.getLogger(RecoveryService.class);
  static final Duration RESET_VALIDITY = Duration.ofHours(1);
  static final Duration EMAIL_CHANGE_VALIDITY = Duration.ofDays(2);
  static final Duration REQUEST_WINDOW = Duration.ofHours(1);
  static final int PER_EMAIL = 3;
  static final int PER_ADDRESS = 20;
  /** The one answer to "forgot password", whether or not the e-mail has an account. */
  public static final String RESET_ANSWER = "If an account uses that email, we have sent it a link to choose a new "
      + "password. The link works once, for one hour; check your inbox and spam folder.";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMMM yyyy HH:mm", Locale.ENGLISH)
      .withZone(ZoneOffset.UTC);

  private final RecoveryRepository repository;
  private final PasswordHasher hasher;
  private final TokenService tokens;
  private final Pool pool;
  private final Mailer mailer;
  private final String publicUrl;

  public RecoveryService(RecoveryRepository repository, PasswordHasher hasher, TokenService tokens, Pool pool,
                         Mailer mailer, String publicUrl) {
    this.repository = repository;
    this.hasher = hasher;
    this.tokens = tokens;
    this.pool = pool;
    this.mailer = mailer;
    this.publicUrl = publicUrl;
  }

  // ---- forgot password -------------------------------------------------------------------------------------

  /** Counts the request, answers {@link #RESET_ANSWER}, then (when the e-mail has an account) e-mails a link. */
  public Future<String> requestReset(String email, String clientAddress) {
    String address = Input.requiredEmail(email, "Email");
    String key = address.strip().toLowerCase(Locale.ROOT);
    String client = clientAddress == null || clientAddress.isBlank() ? "unknown" : clientAddress;
    return repository.countRequest("email:" + key, PER_EMAIL, REQUEST_WINDOW)
        .compose(wait -> wait > 0 ? Future.succeededFuture(wait)
            : repository.countRequest("client:" + client, PER_ADDRESS, REQUEST_WINDOW))
        .compose(wait -> {
          if (wait > 0) {
            long minutes = Math.max(1, (wait + 59) / 60);
            return Future.failedFuture(Problem.TOO_MANY_ATTEMPTS.exception("Too many password reset requests; try again in "
                + minutes + (minutes == 1 ? " minute" : " minutes"), wait));
          }
          sendReset(address); // after the answer is decided: the reply takes as long whether or not the account exists
          return Future.succeededFuture(RESET_ANSWER);
        });
  }

  private void sendReset(String email) {
    repository.byEmail(email)
        .compose(user -> user == null ? Future.succeededFuture()
            : repository.newReset(user.id(), RESET_VALIDITY).compose(link -> mailer.send(user.email(), "password-reset",
                Map.of("name", user.name(), "link", publicUrl + "/reset-password?token=" + link.token(),
                    "expiresAt", TIME.format(link.expiresAt())))))
        .onFailure(err -> LOG.warn("Could not send a password reset link", err));
  }

  /** Spends the link: the new password, no lock-out, every session of the user ended; returns the user, to sign in. */
  public Future<Principal> resetPassword(String token, String password) {
    if (token == null || token.isBlank()) {
      throw Problem.VALIDATION_FAILED.exception("The link is incomplete; open it from the email again");
    }
    checkNewPassword(password, "Password");
    return hasher.hash(password)
        .compose(hash -> repository.reset(token.strip(), hash))
        .compose(userId -> tokens.endSessionsOf(pool, userId).compose(v -> repository.byId(userId)))
        .map(RecoveryRepository.User::principal);
  }

  // ---- settings --------------------------------------------------------------------------------------------

  /** What the settings page and {@code GET /me} show. */
  public record Settings(String name, String email, String pendingEmail, String organisation, boolean partner) {}

  public Future<Settings> settings(Principal me) {
    requireSignedIn(me);
    return repository.byId(me.userId()).compose(u -> repository.pendingEmail(u.id()).map(pending ->
        new Settings(u.name(), u.email(), pending, u.organisation(), me.isPartner())));
  }

  /** Renames the caller; the result is the caller with the new name (the page re-issues its session with it). */
  public Future<Principal> changeName(Principal me, String name) {
    requireSignedIn(me);
    String clean = Input.requiredText(name, "Your name", Input.NAME_MAX);
    return repository.setName(me.userId(), clean).map(v -> withName(me, clean));
  }

  /** What asking for an e-mail change did: to which address the link went, until when, and whether it was sent. */
  public record EmailChangeSent(String email, String expiresAt, boolean emailSent) {}

  /** Sends a confirmation link to the new address (the current password proves it is the user); nothing changes yet. */
  public Future<EmailChangeSent> changeEmail(Principal me, String newEmail, String currentPassword) {
    requireSignedIn(me);
    String email = Input.requiredEmail(newEmail, "New email").strip();
    return checkCurrent(me, currentPassword).compose(u -> {
      if (u.email().equalsIgnoreCase(email)) {
        return Future.failedFuture(Problem.VALIDATION_FAILED.exception("New email is already the one you sign in with"));
      }
      return repository.newEmailChange(u.id(), email, EMAIL_CHANGE_VALIDITY).compose(link -> {
        String expires = link.expiresAt().toInstant().toString();
        return mailer.send(email, "email-change", Map.of("name", u.name(),
                "link", publicUrl + "/confirm-email?token=" + link.token(), "expiresOn", MailTemplates.day(expires)))
            .map(v -> new EmailChangeSent(email, expires, true))
            .recover(err -> {
              LOG.warn("Could not send the e-mail change link to {}", email, err);
              return Future.succeededFuture(new EmailChangeSent(email, expires, false));
            });
      });
    });
  }

  /** Follows the link sent to the new address: the address changes now, once. Needs no session. */
  public Future<RecoveryRepository.EmailChanged> confirmEmail(String token) {
    if (token == null || token.isBlank()) {
      throw Problem.VALIDATION_FAILED.exception("The link is incomplete; open it from the email again");
    }
    return repository.confirmEmail(token.strip());
  }

  /** Needs the current password; ends every session of the user, so the caller signs its own in again (returned). */
  public Future<Principal> changePassword(Principal me, String currentPassword, String newPassword) {
    requireSignedIn(me);
    checkNewPassword(newPassword, "New password");
    return checkCurrent(me, currentPassword)
        .compose(u -> hasher.hash(newPassword))
        .compose(hash -> repository.setPassword(me.userId(), hash))
        .compose(v -> tokens.endSessionsOf(pool, me.userId()))
        .map(me);
  }

  /** A partner user renames its organisation (the name customers see). */
  public Future<String> changeOrganisation(Principal me, String name) {
    Permissions.require(me, Operation.CHANGE_ORGANISATION);
    String clean = Input.requiredText(name, "Organisation", Input.NAME_MAX);
    return repository.setOrganisation(me.partnerId(), clean).map(clean);
  }

  private Future<RecoveryRepository.User> checkCurrent(Principal me, String currentPassword) {
    if (currentPassword == null || currentPassword.isEmpty()) {
      return Future.failedFuture(Problem.VALIDATION_FAILED.exception("Current password is required"));
    }
    return repository.byId(me.userId()).compose(u -> hasher.verify(currentPassword, u.passwordHash())
        .recover(err -> Future.succeededFuture(false))
        .compose(ok -> ok ? Future.succeededFuture(u)
            : Future.failedFuture(Problem.VALIDATION_FAILED.exception("Current password is not right"))));
  }

  static void checkNewPassword(String password, String label) {
    if (password == null || password.isEmpty()) {
      throw Problem.VALIDATION_FAILED.exception(label + " is required");
    }
    if (password.length() < 8) {
      throw Problem.VALIDATION_FAILED.exception(label + " must have at least 8 characters");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > PasswordHasher.MAX_BYTES) {
      PasswordHasher.check(password);
    }
  }

  private static void requireSignedIn(Principal me) {
    if (me == null) {
      throw Problem.UNAUTHENTICATED.exception("Sign in first");
    }
  }

  private static Principal withName(Principal p, String name) {
    return new Principal(p.userId(), p.kind(), p.accountId(), p.role(), p.partnerId(), name);
  }
}
