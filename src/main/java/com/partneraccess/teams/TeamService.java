package com.partneraccess.teams;

import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Principal;
import com.partneraccess.authz.Role;
import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;
import com.partneraccess.identity.PasswordHasher;
import com.partneraccess.identity.TokenService;
import com.partneraccess.mail.MailTemplates;
import com.partneraccess.mail.Mailer;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * THE home of R28, a partner organisation's team: {@code team} (every teammate), and, for its admins, {@code invite}
 * (an e-mailed one-time link to choose a password, {@code join}), {@code setRole}, {@code assign} / {@code unassign}
 * (the customers a member sees and logs in to) and {@code remove} (the teammate's sessions and sockets end at once).
 *
 * <p>Who may is the permission table's ({@link Operation}), asked with the caller's role <em>as stored now</em>, read
 * under the lock of the organisation's row: a teammate promoted a moment ago may act without signing in again, and
 * one demoted cannot, whatever role its token was issued with. Every change holds that lock, so the organisation
 * always keeps an admin (LAST_ADMIN) even when two admins demote or remove each other at the same moment.
 */
public final class TeamService {
  private static final Logger LOG = LoggerFactory.getLogger(TeamService.class);
  static final String TEMPLATE = "team-invite";
  static final Set<String> ROLES = Set.of("admin", "member");

  private final TeamRepository repository;
  private final PasswordHasher hasher;
  private final TokenService tokens;
  private final Mailer mailer;
  private final String publicUrl;

  public TeamService(TeamRepository repository, PasswordHasher hasher, TokenService tokens, Mailer mailer,
                     String publicUrl) {
    this.repository = repository;
    this.hasher = hasher;
    this.tokens = tokens;
    this.mailer = mailer;
    this.publicUrl = publicUrl;
  }

  /** The team as its page and the API show it; {@code canManage}: the caller is an admin now. */
  public record TeamView(String organisation, String callerRole, boolean canManage,
                         List<TeamRepository.Teammate> teammates, List<TeamRepository.PendingInvite> invites) {}

  public Future<TeamView> team(Principal caller) {
    Permissions.require(caller, Operation.LIST_TEAM);
    return repository.team(caller.partnerId(), caller.userId()).compose(t -> {
      Permissions.require(current(caller, t), Operation.LIST_TEAM);
      boolean admin = Operation.INVITE_TEAMMATE.allows(current(caller, t));
      return repository.members(caller.partnerId(), Input.TEAM_MAX).compose(members ->
          (admin ? repository.pendingInvites(caller.partnerId(), Input.TEAM_MAX)
              : Future.succeededFuture(List.<TeamRepository.PendingInvite>of()))
              .map(invites -> new TeamView(t.organisation(), t.callerRole(), admin, members, invites)));
    });
  }

  public record InviteTeammate(String name, String email, String role) {}

  /** What an invitation did: to whom, with which role, until when, and whether its e-mail went out. */
  public record Invited(UUID inviteId, String name, String email, String role, String expiresAt, boolean emailSent) {}

  public Future<Invited> invite(Principal caller, InviteTeammate cmd) {
    portalCaller(caller, Operation.INVITE_TEAMMATE);
    String name = Input.requiredText(cmd.name(), "Name", Input.NAME_MAX);
    String email = Input.requiredEmail(cmd.email(), "Email");
    String role = cmd.role() == null || cmd.role().isBlank() ? "member" : Input.oneOf(cmd.role(), "Role", ROLES);
    return change(caller, Operation.INVITE_TEAMMATE, (tx, team) ->
            repository.invite(tx, caller.partnerId(), caller.userId(), name, email, role)
                .map(inv -> Map.entry(team.organisation(), inv)))
        .compose(e -> {
          TeamRepository.Invitation inv = e.getValue();
          Map<String, Object> model = Map.of("name", inv.name(), "organisation", e.getKey(), "role", inv.role(),
              "invitedBy", caller.name(), "link", publicUrl + "/team-invite?token=" + inv.token(),
              "expiresOn", MailTemplates.day(inv.expiresAt()));
          return mailer.send(inv.email(), TEMPLATE, model).map(true)
              .recover(err -> {
                LOG.warn("Could not email team invitation {} to {}", inv.id(), inv.email(), err);
                return Future.succeededFuture(false);
              })
              .map(sent -> new Invited(inv.id(), inv.name(), inv.email(), inv.role(), inv.expiresAt(), sent));
        });
  }

  /** The invited person chooses a password from the e-mailed link; returns the new teammate, signed in. */
  public Future<Principal> join(String token, String password) {
    if (token == null || token.isBlank()) {
      throw Problem.VALIDATION_FAILED.exception("The invitation link is incomplete; open it from the email again");
    }
    return hasher.hash(password).compose(hash -> repository.join(token.strip(), hash)).map(j ->
        new Principal(j.userId(), Principal.Kind.PARTNER, null, j.role(), j.partnerId(), j.name(), j.organisation()));
  }

  /** A change to a teammate, in words for the confirmation. */
  public record TeamChange(UUID userId, String name, String sentence) {}

  public Future<TeamChange> setRole(Principal caller, UUID userId, String role) {
    portalCaller(caller, Operation.SET_TEAMMATE_ROLE);
    String r = Input.oneOf(role, "Role", ROLES);
    if (r == null) {
      throw Problem.VALIDATION_FAILED.exception("Role must be one of admin, member");
    }
    return change(caller, Operation.SET_TEAMMATE_ROLE, (tx, team) -> repository.setRole(tx, userId, caller.partnerId(), r)
        .map(name -> new TeamChange(userId, name, "admin".equals(r)
            ? name + " is now an admin of " + team.organisation() + " and sees every customer."
            : name + " is now a member of " + team.organisation() + " and sees only the customers assigned to them.")));
  }

  /** R28: a member sees and logs in to this customer from now on (admins see every customer anyway). */
  public Future<TeamChange> assign(Principal caller, UUID userId, UUID accountId) {
    portalCaller(caller, Operation.ASSIGN_CUSTOMERS);
    return change(caller, Operation.ASSIGN_CUSTOMERS, (tx, team) -> repository.teammate(tx, userId, caller.partnerId())
        .compose(t -> "admin".equals(t.getString("partner_role"))
            ? Future.failedFuture(Problem.CONFLICT.exception(t.getString("name")
                + " is an admin and sees every customer; assign customers to members"))
            : repository.assign(tx, userId, caller.partnerId(), accountId, caller.userId())
                .map(business -> new TeamChange(userId, t.getString("name"),
                    business + " is assigned to " + t.getString("name") + ": they can see it and log in to it."))));
  }

  /** R28: takes a customer away from a member; its next request inside that account is refused. */
  public Future<TeamChange> unassign(Principal caller, UUID userId, UUID accountId) {
    portalCaller(caller, Operation.ASSIGN_CUSTOMERS);
    return change(caller, Operation.ASSIGN_CUSTOMERS, (tx, team) -> repository.teammate(tx, userId, caller.partnerId())
        .compose(t -> repository.unassign(tx, userId, caller.partnerId(), accountId)
            .map(business -> new TeamChange(userId, t.getString("name"), business == null
                ? "That customer was not assigned to " + t.getString("name") + "; nothing changed."
                : business + " is no longer assigned to " + t.getString("name")
                    + ": they can no longer see it or log in to it."))));
  }

  /** R28: removes a teammate; its sessions and live connections end at once, on every instance. */
  public Future<TeamChange> remove(Principal caller, UUID userId) {
    portalCaller(caller, Operation.REMOVE_TEAMMATE);
    Instant[] until = new Instant[1];
    return change(caller, Operation.REMOVE_TEAMMATE, (tx, team) -> repository.remove(tx, userId, caller.partnerId())
        .compose(name -> tokens.revokeUser(tx, userId).map(u -> {
          until[0] = u;
          return new TeamChange(userId, name, name + " was removed from " + team.organisation()
              + " and signed out everywhere.");
        })))
        .onSuccess(c -> tokens.userRevoked(userId, until[0]));
  }

  /**
   * The caller kind of the table for a change: a customer, an anonymous caller or a partner inside an account is
   * refused by the table as it stands; a partner in its portal is asked again with its stored role ({@link #change}).
   */
  private static void portalCaller(Principal caller, Operation op) {
    if (caller == null || !caller.isPartner() || caller.isAccountScopedPartner()) {
      Permissions.require(caller, op);
    }
  }

  private static Role current(Principal caller, TeamRepository.Team team) {
    if (team.callerRole() == null) {
      throw Problem.TOKEN_INVALID.exception("You are no longer on this team; sign in again");
    }
    return caller.isAccountScopedPartner() ? Role.PARTNER_IN_ACCOUNT : Role.ofPartnerRole(team.callerRole());
  }

  /** One transaction under the organisation's lock, after the table allowed the caller's stored role. */
  private <T> Future<T> change(Principal caller, Operation op,
                               java.util.function.BiFunction<SqlConnection, TeamRepository.Team, Future<T>> work) {
    return repository.pool().withTransaction(tx -> repository.lockTeam(tx, caller.partnerId(), caller.userId())
        .compose(team -> {
          Permissions.require(current(caller, team), op);
          return work.apply(tx, team);
        }));
  }
}
