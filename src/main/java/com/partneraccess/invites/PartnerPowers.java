package com.partneraccess.invites;

import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Role;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * R9 in the owner's words, before accepting a partner invite: what a connected partner with access can and cannot
 * do inside the account. Read from the one permission table ({@link Operation}), so the list cannot drift from what
 * the services allow: each sentence stands for one or more account operations, and goes to "can" when the role
 * {@link Role#PARTNER_IN_ACCOUNT} has all of them, to "cannot" when it has none. An account operation without a
 * sentence here is still listed, by its name.
 */
final class PartnerPowers {
  private PartnerPowers() {}

  private static final Map<String, List<Operation>> SENTENCES = new LinkedHashMap<>();

  static {
    sentence("See your dashboard", Operation.VIEW_ACCOUNT);
    sentence("See and create jobs", Operation.LIST_JOBS, Operation.CREATE_JOBS);
    sentence("See your staff and add staff (who follow the partner's access until you confirm them)",
        Operation.LIST_STAFF, Operation.ADD_STAFF);
    sentence("Read the activity history", Operation.VIEW_ACTIVITY);
    sentence("See or change your subscription", Operation.VIEW_SUBSCRIPTION, Operation.CHANGE_SUBSCRIPTION);
    sentence("Change the account owner", Operation.CHANGE_OWNER);
    sentence("Cancel the account", Operation.CANCEL_ACCOUNT);
    sentence("Accept partner invites", Operation.DECIDE_PARTNER_INVITE);
    sentence("See partner invites, turn partner access on or off, answer access requests or disconnect partners",
        Operation.LIST_PARTNER_INVITES, Operation.SET_PARTNER_ACCESS, Operation.LIST_ACCESS_REQUESTS,
        Operation.DECIDE_ACCESS_REQUEST, Operation.DISCONNECT_PARTNER, Operation.LIST_BANNERS, Operation.DISMISS_BANNER);
    sentence("Confirm the staff a partner added", Operation.CONFIRM_STAFF);
  }

  private static void sentence(String words, Operation... ops) {
    SENTENCES.put(words, List.of(ops));
  }

  /** Fills {@code can} and {@code cannot} from the permission table. */
  static void describe(List<String> can, List<String> cannot) {
    Map<Operation, Boolean> covered = new EnumMap<>(Operation.class);
    SENTENCES.forEach((words, ops) -> {
      long allowed = ops.stream().filter(op -> op.allows(Role.PARTNER_IN_ACCOUNT)).count();
      ops.forEach(op -> covered.put(op, true));
      if (allowed == ops.size()) {
        can.add(words);
      } else if (allowed == 0) {
        cannot.add(words);
      } else {
        // part of the sentence is allowed: list the operations one by one
        ops.forEach(op -> (op.allows(Role.PARTNER_IN_ACCOUNT) ? can : cannot).add(name(op)));
      }
    });
    List<Operation> rest = new ArrayList<>();
    for (Operation op : Operation.values()) {
      if (op.scope == Operation.Scope.ACCOUNT && !covered.containsKey(op)) {
        rest.add(op);
      }
    }
    rest.forEach(op -> (op.allows(Role.PARTNER_IN_ACCOUNT) ? can : cannot).add(name(op)));
  }

  private static String name(Operation op) {
    String s = op.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
