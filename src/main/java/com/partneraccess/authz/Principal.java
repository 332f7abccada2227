package com.partneraccess.authz;

import java.util.UUID;

/**
 * Who is calling, as read from a verified token. A customer user has an account and a role; a partner
 * user has a partner organisation, its role in it ({@code admin} or {@code member}, R28) and, once logged in to a
 * customer (R8), an account scope. {@code organisation} is the partner organisation's name (R28: pages and the
 * activity history name the person and the organisation); null for customers.
 */
public record Principal(UUID userId, Kind kind, UUID accountId, String role, UUID partnerId, String name,
                        String organisation) {

  public enum Kind { CUSTOMER, PARTNER }

  public Principal(UUID userId, Kind kind, UUID accountId, String role, UUID partnerId, String name) {
    this(userId, kind, accountId, role, partnerId, name, null);
  }

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

  /** R28: the same partner user scoped to one customer account ("Log in"), keeping its role and organisation. */
  public Principal scopedTo(UUID account) {
    return new Principal(userId, kind, account, role, partnerId, name, organisation);
  }

  /** The same partner user back in its portal ("Leave"). */
  public Principal unscoped() {
    return new Principal(userId, kind, null, role, partnerId, name, organisation);
  }
}
