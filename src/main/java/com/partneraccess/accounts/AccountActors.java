package com.partneraccess.accounts;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.access.AccessClient;
import com.partneraccess.bus.Problem;
import com.partneraccess.authz.Principal;
import io.vertx.core.Future;

/**
 * Turns the caller of an account route into an {@link AccountActor}. A customer user's role is read from
 * the database; a partner's account-scoped token goes through the access-rule verticle on every request
 * (R7, R9, R14, R19), so a disabled, expired or disconnected partner is refused at once.
 */
public final class AccountActors {
  private final AccountRepository accounts;
  private final AccessClient access;

  public AccountActors(AccountRepository accounts, AccessClient access) {
    this.accounts = accounts;
    this.access = access;
  }

  public Future<AccountActor> resolve(Principal p) {
    if (p == null) {
      return Future.failedFuture(Problem.UNAUTHENTICATED.exception("Sign in first: send Authorization: Bearer <token>"));
    }
    if (p.isCustomer()) {
      return accounts.actorFor(p.userId());
    }
    if (!p.isAccountScopedPartner()) {
      return Future.failedFuture(Problem.ACCOUNT_SCOPE_REQUIRED.exception(
          "Log in to the customer's account from your Customers page first (POST /partner/customers/{id}/sessions)"));
    }
    return access.check(p.partnerId(), p.userId(), p.accountId()).map(grant -> new AccountActor(p.accountId(), p.userId(),
        "partner", p.partnerId(), grant.connectionId(), grant.businessName(), "active"));
  }
}
