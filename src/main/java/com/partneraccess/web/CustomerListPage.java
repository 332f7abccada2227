package com.partneraccess.web;

import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Problem;
import com.partneraccess.connections.ConnectionService;
import com.partneraccess.connections.CustomerQuery;
import com.partneraccess.connections.CustomerView;
import com.partneraccess.invites.InviteRepository;
import com.partneraccess.invites.InviteService;
import com.partneraccess.partners.PartnerService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * R4/R8: the partner's Customers page ({@code GET /partner/customers}): search, filter tabs with their counts, sort,
 * page size and cursor links, the "Needs attention" group and the open invites near the top, a row per customer with
 * its access and expiry in words. The actions on a customer (Log in, Request access, Disconnect, invites) are in
 * {@link PartnerPages}.
 */
final class CustomerListPage {
  private final Web web;
  private final PartnerService partners;
  private final ConnectionService connections;
  private final InviteService invites;

  CustomerListPage(Web web, PartnerService partners, ConnectionService connections, InviteService invites) {
    this.web = web;
    this.partners = partners;
    this.connections = connections;
    this.invites = invites;
  }

  void mount(PageRoutes.Mount m) {
    m.get("/partner/customers", Web.page(this::customers));
  }

  /** One line of the Customers page, with its words computed once (the page of 1,000 customers stays fast). */
  public record CustomerRow(String accountId, String businessName, String plan, boolean active, String originLabel,
                            String access, String accessLabel, String expiryText, boolean canLogIn,
                            boolean canRequest, boolean requested, String ownerEmail, String lastAccessedAt,
                            String requestedOn) {}

  static CustomerRow row(CustomerView c) {
    String origin = switch (c.origin()) {
      case "referral" -> "Referral link";
      case "created" -> "Added by you";
      default -> "Invite";
    };
    String expiry;
    boolean active = "active".equals(c.accountStatus());
    switch (c.access()) {
      case "enabled" -> {
        if (c.granted()) {
          expiry = "Granted for " + c.grantDays() + (c.grantDays() == 1 ? " day" : " days") + ": ends in "
              + (c.daysUntilExpiry() == 1 ? "1 day" : c.daysUntilExpiry() + " days");
        } else if (!c.clockStarted()) {
          expiry = "Expiry clock not started: " + c.jobCount() + "/" + c.jobThreshold() + " jobs";
        } else if (c.daysUntilExpiry() == null) {
          expiry = "Does not expire";
        } else {
          expiry = c.daysUntilExpiry() == 1 ? "Expires in 1 day" : "Expires in " + c.daysUntilExpiry() + " days";
        }
      }
      case "expired" -> expiry = (c.expiresAt() == null ? "Expired" : "Expired on " + Web.day(c.expiresAt()))
          + ": " + c.accessEndedReason();
      default -> expiry = c.neverEnabled() ? "Not enabled yet" : "Disabled by the customer";
    }
    boolean enabled = "enabled".equals(c.access());
    return new CustomerRow(c.accountId().toString(), c.businessName(), c.plan(), active, origin, c.access(),
        c.access().substring(0, 1).toUpperCase(Locale.ROOT) + c.access().substring(1),
        active ? expiry : "Account cancelled", c.canLogIn(), c.canRequestAccess(), c.requested(), c.ownerEmail(),
        c.lastAccessedAt() == null ? null : c.lastAccessedAt().toString(),
        c.pendingRequestAt() == null ? null : Web.day(c.pendingRequestAt()));
  }

  /** The "Needs attention" group on top of the first page shows at most this many (then: "Show all"). */
  static final int ATTENTION_SHOWN = 10;
  /** Open invites shown near the top of the page, a page at a time. */
  static final int INVITES_SHOWN = 10;

  /**
   * R4/R8: the Customers page: the same {@link ConnectionService#customers} as {@code GET /partner/customers}
   * (search, filter, sort, page size and cursor from the query string), its counts per filter, the open invites
   * near the top and, on the first page of the unfiltered list, the customers that need attention.
   */
  private Future<?> customers(RoutingContext ctx) {
    Principal p = PartnerPages.partner(ctx);
    Map<String, Object> m = PartnerPages.base(ctx, "customers", "Customers");
    ConnectionService.ListCustomers asked = new ConnectionService.ListCustomers(param(ctx, "q"), param(ctx, "filter"),
        param(ctx, "sort"), pageSize(ctx), param(ctx, "cursor"));
    return connections.customers(p, asked).compose(list -> {
      CustomerQuery q = list.query();
      // the group sits on the first page of the whole list; a search shows what it found (the tab still counts them)
      boolean attentionGroup = q.filter() == CustomerQuery.Filter.ALL && q.after() == null && q.search() == null
          && list.counts().attention() > 0;
      Future<ConnectionService.CustomerList> attention = attentionGroup
          ? connections.customersWithoutCounts(p, new ConnectionService.ListCustomers(q.search(), "attention", "expiry",
              ATTENTION_SHOWN, null))
          : Future.succeededFuture(null);
      Future<InviteRepository.Page> open = invites.ofPartner(p,
          new InviteService.PartnerInvites("open", INVITES_SHOWN, param(ctx, "invitesCursor")));
      Future<Set<UUID>> awaiting = partners.awaitingHandover(p);
      return Future.all(attention, open, awaiting).compose(all -> {
        m.put("customers", list.customers().stream().map(CustomerListPage::row).toList());
        m.put("attention", attention.result() == null ? List.of()
            : attention.result().customers().stream().map(CustomerListPage::row).toList());
        m.put("list", listModel(list));
        m.put("invites", pendingInvites(open.result().invites()));
        m.put("invitesNext", open.result().nextCursor() == null ? null
            : "/partner/customers?invitesCursor=" + Web.enc(open.result().nextCursor()) + "#invites");
        m.put("handover", awaiting.result().stream().map(UUID::toString).toList());
        return web.render(ctx, "customers", m);
      });
    });
  }

  private static String param(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null || v.isBlank() ? null : v;
  }

  /** The page's size selector: a whole number, else the service's own refusal (400 with the reason). */
  private static Integer pageSize(RoutingContext ctx) {
    String v = param(ctx, "limit");
    if (v == null) {
      return null;
    }
    try {
      return Integer.valueOf(v.strip());
    } catch (NumberFormatException e) {
      throw Problem.VALIDATION_FAILED.exception("limit must be a whole number");
    }
  }

  /** The search form, filter tabs with counts, sort and page-size choices, and the links to other pages. */
  private static Map<String, Object> listModel(ConnectionService.CustomerList list) {
    CustomerQuery q = list.query();
    Map<String, Object> m = new HashMap<>();
    m.put("search", q.search() == null ? "" : q.search());
    m.put("filter", q.filter().param());
    m.put("filterLabel", q.filter().label());
    m.put("sort", q.sort().param());
    m.put("limit", q.limit());
    m.put("sizes", CustomerQuery.PAGE_SIZES);
    m.put("shown", list.customers().size());
    m.put("total", list.counts().text(q.filter()));
    m.put("all", list.counts().all());
    m.put("allText", list.counts().text(CustomerQuery.Filter.ALL));
    m.put("attentionCount", list.counts().attention());
    m.put("withAccess", list.counts().text(CustomerQuery.Filter.ENABLED));
    m.put("capped", list.counts().capped());
    m.put("counted", CustomerQuery.SEARCH_COUNTED);
    List<Map<String, Object>> filters = new ArrayList<>();
    for (CustomerQuery.Filter f : CustomerQuery.Filter.values()) {
      filters.add(Map.of("param", f.param(), "label", f.label(), "count", list.counts().text(f),
          "current", f == q.filter(), "href", listHref(q.search(), f.param(), q.sort().param(), q.limit(), null)));
    }
    m.put("filters", filters);
    List<Map<String, Object>> sorts = new ArrayList<>();
    for (CustomerQuery.Sort s : CustomerQuery.Sort.values()) {
      sorts.add(Map.of("param", s.param(), "label", s.label(), "current", s == q.sort()));
    }
    m.put("sorts", sorts);
    m.put("next", list.nextCursor() == null ? null
        : listHref(q.search(), q.filter().param(), q.sort().param(), q.limit(), list.nextCursor()));
    m.put("first", q.after() == null ? null : listHref(q.search(), q.filter().param(), q.sort().param(), q.limit(), null));
    m.put("attentionHref", listHref(q.search(), "attention", "expiry", q.limit(), null));
    return m;
  }

  /** The open invites (pending, or expired and not yet resent or withdrawn) as the page lists them. */
  private static List<Map<String, Object>> pendingInvites(JsonArray open) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : open) {
      JsonObject i = (JsonObject) o;
      Map<String, Object> r = new HashMap<>();
      r.put("id", i.getString("id"));
      // what the partner gave: the address, or the account id (never the account's name or owner before acceptance)
      r.put("to", i.getString("email") != null ? i.getString("email") : "Account " + i.getString("accountId"));
      r.put("status", i.getString("status"));
      r.put("expiresAt", i.getString("expiresAt"));
      r.put("expires", Web.day(Instant.parse(i.getString("expiresAt"))));
      out.add(r);
    }
    return out;
  }

  static String listHref(String search, String filter, String sort, int limit, String cursor) {
    StringBuilder b = new StringBuilder("/partner/customers?");
    if (search != null) {
      b.append("q=").append(Web.enc(search)).append('&');
    }
    b.append("filter=").append(filter).append("&sort=").append(sort).append("&limit=").append(limit);
    if (cursor != null) {
      b.append("&cursor=").append(Web.enc(cursor));
    }
    return b.toString();
  }
}
