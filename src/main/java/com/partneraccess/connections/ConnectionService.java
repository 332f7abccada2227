package com.partneraccess.connections;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * THE home of every operation on a connection (R4-R8, R15-R20), for the JSON API and the pages alike:
 * each method authorises the caller against the one permission table, validates its command and carries
 * it out through {@link ConnectionRepository} (one transaction per change).
 */
public final class ConnectionService {
  private static final Set<String> REQUEST_STATUSES = Set.of("pending", "approved", "denied", "cancelled");

  private final ConnectionRepository repository;
  private final LeaveCheck leaveCheck;

  /** R25: may the partner leave this account now? (A partner cannot leave an account it created before handover.) */
  @FunctionalInterface
  public interface LeaveCheck {
    Future<Void> check(UUID partnerId, UUID accountId);
  }

  public ConnectionService(ConnectionRepository repository) {
    this(repository, (partnerId, accountId) -> Future.succeededFuture());
  }

  public ConnectionService(ConnectionRepository repository, LeaveCheck leaveCheck) {
    this.repository = repository;
    this.leaveCheck = leaveCheck;
  }

  /** A change and the name of the partner it concerns, for the confirmation sentence. */
  public record Outcome(ConnectionRepository.Change change, String partnerName) {}

  // ---- the customer's side (owner and admins) ----------------------------------------------------

  /** R4: the partners in the customer's staff list. */
  public Future<List<PartnerView>> partners(AccountActor actor) {
    Permissions.require(actor, Operation.LIST_STAFF);
    return repository.partnersOf(actor.accountId());
  }

  /** R18: one connected partner, as the disconnection wizard shows it. */
  public Future<PartnerView> partner(AccountActor actor, UUID partnerId) {
    Permissions.require(actor, Operation.DISCONNECT_PARTNER);
    return repository.partnersOf(actor.accountId()).map(list -> list.stream()
        .filter(p -> p.partnerId().equals(partnerId)).findFirst()
        .orElseThrow(() -> Problem.NOT_CONNECTED.exception("This partner is not connected to your account")));
  }

  public record SetAccess(UUID partnerId, boolean enabled) {}

  /** R7/R15: enable or disable a partner's access; setting the state it already has changes nothing. */
  public Future<Outcome> setAccess(AccountActor actor, SetAccess cmd) {
    Permissions.require(actor, Operation.SET_PARTNER_ACCESS);
    return repository.setAccess(actor.accountId(), cmd.partnerId(), cmd.enabled(), actor.userId())
        .compose(this::named);
  }

  /**
   * R7: Account › Login details › Save with the partners whose box is ticked: changes only the partners
   * whose state differs, and returns what changed.
   */
  public Future<List<Outcome>> saveAllowed(AccountActor actor, Set<UUID> allowed) {
    Permissions.require(actor, Operation.SET_PARTNER_ACCESS);
    return repository.partnersOf(actor.accountId()).compose(partners -> {
      Future<List<Outcome>> chain = Future.succeededFuture(new ArrayList<>());
      for (PartnerView p : partners) {
        boolean want = allowed.contains(p.partnerId());
        if (want == "enabled".equals(p.access())) {
          continue;
        }
        chain = chain.compose(done -> repository.setAccess(actor.accountId(), p.partnerId(), want, actor.userId())
            .map(change -> {
              done.add(new Outcome(change, p.name()));
              return done;
            }));
      }
      return chain;
    });
  }

  public record Disconnect(UUID partnerId, String reason) {}

  /** R18/R19: the customer disconnects a partner completely; the reason is optional, at most 500 characters. */
  public Future<Outcome> disconnect(AccountActor actor, Disconnect cmd) {
    Permissions.require(actor, Operation.DISCONNECT_PARTNER);
    String reason = Input.optionalText(cmd.reason(), "The reason", Input.REASON_MAX);
    return repository.disconnect(actor.accountId(), cmd.partnerId(), true, reason, actor.userId())
        .compose(this::named);
  }

  /** R16: the account's access requests, optionally of one status. */
  public Future<List<ConnectionRepository.AccessRequest>> requests(AccountActor actor, String status) {
    Permissions.require(actor, Operation.LIST_ACCESS_REQUESTS);
    return repository.requestsOf(actor.accountId(), Input.oneOf(status, "status", REQUEST_STATUSES));
  }

  /** R16/R15: approve (enables access, restarts the 60 days) or deny (access stays as it was). */
  public Future<Outcome> decide(AccountActor actor, UUID requestId, boolean approve) {
    Permissions.require(actor, Operation.DECIDE_ACCESS_REQUEST);
    return repository.decide(actor.accountId(), requestId, approve, actor.userId()).compose(this::named);
  }

  // ---- the partner's side --------------------------------------------------------------------------

  /** R4/R8: the partner's Customers page. */
  public Future<List<CustomerView>> customers(Principal partner) {
    Permissions.require(partner, Operation.LIST_CUSTOMERS);
    return repository.customersOf(partner.partnerId());
  }

  /** One connected customer of the partner (the partner's disconnect page). */
  public Future<CustomerView> customer(Principal partner, UUID accountId) {
    Permissions.require(partner, Operation.DISCONNECT_CUSTOMER);
    return repository.customersOf(partner.partnerId()).map(list -> list.stream()
        .filter(c -> c.accountId().equals(accountId)).findFirst()
        .orElseThrow(() -> Problem.NOT_CONNECTED.exception("You are not connected to this customer")));
  }

  /**
   * R16/R20: a connected partner whose access is disabled or expired asks for access; one pending request
   * per connection; a cancelled account cannot be asked (the Customers list says the same).
   */
  public Future<ConnectionRepository.RequestOutcome> requestAccess(Principal partner, UUID accountId) {
    Permissions.require(partner, Operation.REQUEST_ACCESS);
    return repository.requestAccess(partner.partnerId(), accountId, partner.userId());
  }

  /** R18/R19: the partner disconnects itself from a customer; optional reason, at most 500 characters. */
  public Future<ConnectionRepository.Change> disconnectFromCustomer(Principal partner, UUID accountId, String reason) {
    Permissions.require(partner, Operation.DISCONNECT_CUSTOMER);
    String clean = Input.optionalText(reason, "The reason", Input.REASON_MAX);
    return leaveCheck.check(partner.partnerId(), accountId)
        .compose(v -> repository.disconnect(accountId, partner.partnerId(), false, clean, partner.userId()));
  }

  /** The partner organisation's name, for the strip "You are in ... as <partner>". */
  public Future<String> partnerName(UUID partnerId) {
    return repository.partnerName(partnerId);
  }

  private Future<Outcome> named(ConnectionRepository.Change change) {
    return repository.partnerName(change.partnerId()).map(name -> new Outcome(change, name));
  }
}
