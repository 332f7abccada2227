package com.partneraccess.authz;

/**
 * R28: which of its organisation's customers a partner user may see and log in to, as ONE SQL predicate: a current
 * (not removed) teammate who is an admin sees every customer; a member only those assigned to it. The Customers list
 * and the access check of every partner request both put it in their one query, so a list can never show a customer
 * the check refuses, and an assignment removed is access removed on the next request.
 */
public final class TeamScope {
  private TeamScope() {}

  /**
   * The predicate for a connection row {@code c} (with {@code c.id} and {@code c.partner_id}) and the viewer's user id
   * as parameter {@code userParam} (e.g. {@code "$2"}); false for an unknown or removed user.
   */
  public static String visibleTo(String userParam) {
    return "(EXISTS (SELECT 1 FROM users tm WHERE tm.id = " + userParam + "::uuid AND tm.partner_id = c.partner_id"
        + " AND tm.removed_at IS NULL AND (tm.partner_role = 'admin' OR EXISTS (SELECT 1 FROM partner_assignments pa"
        + " WHERE pa.user_id = tm.id AND pa.connection_id = c.id))))";
  }

  /**
   * R28: whether the partner user row {@code u} (a {@code users} alias with {@code id}, {@code partner_role}) may hear
   * about the customer {@code accountExpr} of partner {@code partnerExpr} (live events, notifications): an admin
   * always; a member if assigned to the partner's LATEST connection with it, the live one or else the most recent, so
   * the members assigned to a customer also hear that it disconnected (a reconnection is a new connection, assigned
   * anew). The caller checks that {@code u} is of that partner.
   */
  public static String hearsOf(String u, String accountExpr, String partnerExpr) {
    return "(" + u + ".partner_role = 'admin' OR EXISTS (SELECT 1 FROM partner_assignments pa WHERE pa.user_id = " + u
        + ".id AND pa.connection_id = (SELECT lc.id FROM connections lc WHERE lc.account_id = " + accountExpr
        + " AND lc.partner_id = " + partnerExpr
        + " ORDER BY lc.disconnected_at IS NULL DESC, lc.connected_at DESC LIMIT 1)))";
  }
}
