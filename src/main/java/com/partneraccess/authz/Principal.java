package com.partneraccess.authz;

import java.util.UUID;

/**
 * Who is calling, as read from a verified token. A customer user has an account and a role; a partner
 * user has a partner organisation and, once logged in to a customer (R8), an account scope.
 */
public record Principal(UUID userId, Kind kind, UUID accountId, String role, UUID partnerId, String name) {

  public enum Kind { CUSTOMER, PARTNER }

  public boolean isCustomer() {
    return kind == Kind.CUSTOMER;
  }

  public boolean isPartner() {
    return kind == Kind.PARTNER;
  }

  /** A partner token minted by "Log in" for one customer account. */
  public boolean isAccountScopedPartner() {
    return kind == Kind.PARTNER && accountId != null;
  }
}
