package com.partneraccess.web;

import com.partneraccess.accounts.AccountActors;
import com.partneraccess.authz.AccountActor;
import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Problem;
import com.partneraccess.connections.ConnectionService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Who is inside a customer account on a page request: a customer user (role read fresh) or a partner whose
 * account-scoped session passes the access check on this request (R7: a disabled partner is refused on its
 * next request). What the navigation shows comes from the same permission table the services consult.
 */
final class InsideAccount {
  private final AccountActors actors;
  private final ConnectionService connections;

  InsideAccount(AccountActors actors, ConnectionService connections) {
    this.actors = actors;
    this.connections = connections;
  }

  /** The page's view of who is inside, for the layout (strip, navigation). */
  public record Inside(AccountActor actor, String businessName, String partnerName, boolean partner, boolean owner,
                       boolean managesPartners, boolean seesInvites, boolean canManage, boolean cancelled,
                       boolean findsPartners) {}

  Handler<RoutingContext> page(BiFunction<RoutingContext, Inside, Future<?>> handler) {
    return Web.page(ctx -> resolve(ctx).compose(in -> handler.apply(ctx, in)));
  }

  Future<Inside> resolve(RoutingContext ctx) {
    Principal p = Web.principal(ctx);
    if (p == null) {
      return Future.failedFuture(Problem.UNAUTHENTICATED.exception("Sign in first"));
    }
    if (p.isPartner() && !p.isAccountScopedPartner()) {
      return Future.failedFuture(Problem.ACCOUNT_SCOPE_REQUIRED.exception(
          "Choose a customer on your Customers page and use Log in to open its account"));
    }
    return actors.resolve(p).compose(a -> {
      Future<String> partnerName = a.isPartner() ? connections.partnerName(a.partnerId()) : Future.succeededFuture(null);
      return partnerName.map(pn -> {
        Inside in = new Inside(a, a.businessName(), pn, a.isPartner(), a.isOwner(),
            a.may(Operation.LIST_BANNERS), a.may(Operation.LIST_PARTNER_INVITES), a.may(Operation.ADD_STAFF),
            "cancelled".equals(a.accountStatus()), a.may(Operation.FIND_PARTNERS));
        ctx.put("inside", in);
        return in;
      });
    });
  }

  static Map<String, Object> base(Inside in, String section, String title) {
    Map<String, Object> m = new HashMap<>();
    m.put("inside", in);
    m.put("section", section);
    m.put("title", title);
    return m;
  }

  static UUID id(RoutingContext ctx, String name) {
    try {
      return UUID.fromString(ctx.pathParam(name));
    } catch (RuntimeException e) {
      throw Problem.NOT_FOUND.exception("There is no such page");
    }
  }
}
