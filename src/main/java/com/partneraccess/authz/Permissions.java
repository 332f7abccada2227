package com.partneraccess.authz;

import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;

/**
 * Consults the one table ({@link Operation}) and words the refusal: who may do it instead, in the reason
 * the API and the pages both show. Every feature service calls {@link #require} before it does anything.
 */
public final class Permissions {
  private Permissions() {}

  public static void require(AccountActor actor, Operation op) {
    require(actor.kind(), op);
  }

  public static void require(Principal principal, Operation op) {
    require(Role.of(principal), op);
  }

  public static void require(Role role, Operation op) {
    if (!op.allows(role)) {
      throw refusal(role, op);
    }
  }

  /** The reason a caller of this kind is refused the operation (UNAUTHENTICATED, OWNER_ONLY, ...). */
  public static DomainException refusal(Role role, Operation op) {
    if (role == Role.ANONYMOUS) {
      return Problem.UNAUTHENTICATED.exception("Sign in first");
    }
    if (op.allows(Role.PARTNER_ADMIN) && (role == Role.PARTNER || role == Role.PARTNER_IN_ACCOUNT)) {
      return Problem.PARTNER_ADMIN_ONLY.exception("Only an admin of your partner organisation can do this"
          + (role == Role.PARTNER_IN_ACCOUNT ? ", from the partner portal (leave the customer's account first)" : ""));
    }
    if (op.scope == Operation.Scope.PORTAL) {
      return Problem.PARTNER_ONLY.exception("This is part of the partner portal; sign in as a partner");
    }
    if (role == Role.PARTNER || role == Role.PARTNER_ADMIN) {
      return Problem.ACCOUNT_SCOPE_REQUIRED.exception(
          "Log in to the customer's account from your Customers page first");
    }
    if (op.ownerOnly()) {
      return Problem.OWNER_ONLY.exception("Only the account owner can do this"
          + (role == Role.PARTNER_IN_ACCOUNT ? " (partners never can)" : ""));
    }
    if (role == Role.PARTNER_IN_ACCOUNT) {
      return Problem.CUSTOMER_ONLY.exception("Only the customer's owner or admins can do this");
    }
    return Problem.ROLE_FORBIDDEN.exception("Your role (" + role.name().toLowerCase() + ") does not allow this; "
        + "ask an owner or admin");
  }
}
