package com.partneraccess.web;

import com.partneraccess.authz.Principal;
import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import com.partneraccess.directory.DirectoryEntry;
import com.partneraccess.directory.DirectoryService;
import com.partneraccess.directory.Lead;
import com.partneraccess.directory.Listing;
import com.partneraccess.web.InsideAccount.Inside;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The partner directory's pages. Inside a customer account (owner and admins): Find a partner and its Contact me form.
 * In the partner portal: the partner's own Directory listing and its Leads (mark handled, invite the business).
 * Thin: parse, call {@link DirectoryService} (which authorises, validates and limits), render or redirect with a sentence.
 */
final class DirectoryPages {
  private final Web web;
  private final InsideAccount inside;
  private final DirectoryService directory;

  DirectoryPages(Web web, InsideAccount inside, DirectoryService directory) {
    this.web = web;
    this.inside = inside;
    this.directory = directory;
  }

  void mount(PageRoutes.Mount m) {
    m.get("/app/partners/directory", inside.page(this::find));
    m.get("/app/partners/directory/:partnerId/contact", inside.page((ctx, in) ->
        contactPage(ctx, in, InsideAccount.id(ctx, "partnerId"), 200, Map.of(), null)));
    m.post("/app/partners/directory/:partnerId/contact", inside.page(this::contact));
    m.get("/partner/listing", Web.page(ctx -> listingPage(ctx, 200, null, null)));
    m.post("/partner/listing", Web.page(this::saveListing));
    m.get("/partner/leads", Web.page(this::leads));
    m.post("/partner/leads/:leadId/handled", Web.page(this::markHandled));
    m.post("/partner/leads/:leadId/invite", Web.page(this::invite));
  }

  /** A service tag as a form shows it: its value, its words, and whether it is chosen. */
  public record ServiceOption(String key, String label, boolean checked) {}

  static List<ServiceOption> options(List<String> chosen) {
    List<ServiceOption> out = new ArrayList<>();
    DirectoryService.SERVICES.forEach((k, v) -> out.add(new ServiceOption(k, v, chosen != null && chosen.contains(k))));
    return out;
  }

  static String labels(List<String> services) {
    return String.join(", ", services.stream().map(s -> DirectoryService.SERVICES.getOrDefault(s, s)).toList());
  }

  // ---- Find a partner (inside a customer account) ------------------------------------------------------

  /** One listed partner as the page shows it. */
  public record PartnerRow(String id, String organisation, String description, String region, String services,
                           String tier, boolean connected) {}

  static PartnerRow row(DirectoryEntry e) {
    return new PartnerRow(e.partnerId().toString(), e.organisation(), e.description(), e.region(),
        labels(e.services()), e.tier(), e.connected());
  }

  private Future<?> find(RoutingContext ctx, Inside in) {
    String region = param(ctx, "region");
    String service = param(ctx, "service");
    Integer page = pageNumber(param(ctx, "page"));
    DirectoryService.Search search = new DirectoryService.Search(region, service, page, null);
    return directory.search(in.actor(), search).compose(result -> {
      Map<String, Object> m = InsideAccount.base(in, "directory", "Find a partner");
      m.put("partners", result.partners().stream().map(DirectoryPages::row).toList());
      m.put("region", region == null ? "" : region);
      m.put("service", service == null ? "" : service);
      m.put("services", options(service == null ? List.of() : List.of(service)));
      m.put("page", result.page());
      m.put("previous", result.page() > 1 ? link(region, service, result.page() - 1) : null);
      m.put("next", result.hasMore() ? link(region, service, result.page() + 1) : null);
      m.put("filtered", region != null || service != null);
      return web.render(ctx, "partner-directory", m);
    });
  }

  private static String param(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static Integer pageNumber(String v) {
    if (v == null) {
      return null;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw Problem.VALIDATION_FAILED.exception("page must be a whole number");
    }
  }

  private static String link(String region, String service, int page) {
    StringBuilder s = new StringBuilder("/app/partners/directory?page=").append(page);
    if (region != null) {
      s.append("&region=").append(URLEncoder.encode(region, StandardCharsets.UTF_8));
    }
    if (service != null) {
      s.append("&service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8));
    }
    return s.toString();
  }

  private Future<?> contactPage(RoutingContext ctx, Inside in, UUID partnerId, int status, Map<String, String> values,
                                String error) {
    return directory.entry(in.actor(), partnerId).compose(entry -> {
      Map<String, Object> m = InsideAccount.base(in, "directory", "Contact " + entry.organisation());
      m.put("partner", row(entry));
      m.put("values", values);
      m.put("error", error == null ? "" : error);
      return web.render(ctx, status, "partner-contact", m);
    });
  }

  /** Contact me: the lead goes to the partner; a refusal (limits: 429 with Retry-After) shows the form again, in words. */
  private Future<?> contact(RoutingContext ctx, Inside in) {
    UUID partnerId = InsideAccount.id(ctx, "partnerId");
    Form f = new Form(ctx);
    String message = f.get("message");
    return formCall(() -> directory.contact(in.actor(), partnerId, message))
        .compose(sent -> web.redirect(ctx, "/app/partners/directory", "ok", "We sent your request to "
            + sent.partnerName() + ". They will contact you at " + sent.lead().contactEmail()
            + "; if you agree to work together they invite your account, and the owner accepts the invite under Partner invites."))
        .recover(Web.showAgain(de -> {
          if (de.retryAfterSeconds() > 0) {
            ctx.response().putHeader("Retry-After", Long.toString(de.retryAfterSeconds()));
          }
          return contactPage(ctx, in, partnerId, de.problem().status, f.values(), Web.humanDates(de.getMessage()));
        }));
  }

  /**
   * Calls a service whose refusals of the input (thrown at once) should show the form again like its later ones;
   * a refusal of the caller (the permission table) still goes to the error page.
   */
  private static <T> Future<T> formCall(Supplier<Future<T>> call) {
    try {
      return call.get();
    } catch (DomainException de) {
      if (de.problem() == Problem.VALIDATION_FAILED || de.problem() == Problem.ACCOUNT_CANCELLED) {
        return Future.failedFuture(de);
      }
      throw de;
    }
  }

  // ---- the partner's listing and leads (portal) ------------------------------------------------------

  private Future<?> listingPage(RoutingContext ctx, int status, Map<String, Object> typed, String error) {
    Principal p = PartnerPages.partner(ctx);
    return directory.listing(p).compose(listing -> {
      Map<String, Object> m = PartnerPages.base(ctx, "listing", "Directory listing");
      m.put("listing", listing);
      Map<String, Object> values = typed != null ? typed : saved(listing);
      m.put("values", values);
      @SuppressWarnings("unchecked")
      List<String> chosen = (List<String>) values.get("services");
      m.put("services", options(chosen));
      m.put("error", error == null ? "" : error);
      return web.render(ctx, status, "partner-listing", m);
    });
  }

  private static Map<String, Object> saved(Listing l) {
    Map<String, Object> v = new HashMap<>();
    v.put("listed", l.listed());
    v.put("region", l.region());
    v.put("description", l.description());
    v.put("services", l.services());
    return v;
  }

  private Future<?> saveListing(RoutingContext ctx) {
    Principal p = PartnerPages.partner(ctx);
    Form f = new Form(ctx);
    boolean listed = "true".equals(f.get("listed"));
    String region = f.get("region");
    String description = f.get("description");
    List<String> services = f.all("services");
    Map<String, Object> typed = new HashMap<>();
    typed.put("listed", listed);
    typed.put("region", region);
    typed.put("description", description);
    typed.put("services", services);
    return formCall(() -> directory.saveListing(p, new DirectoryService.SaveListing(listed, region, services, description)))
        .compose(l -> web.redirect(ctx, "/partner/listing", "ok", l.listed()
            ? "Your listing is saved. Customers without a partner find " + l.organisation() + " under Find a partner."
            : "Your listing is saved. You are not listed: customers do not see you under Find a partner."))
        .recover(Web.showAgain(de -> listingPage(ctx, de.problem().status, typed, de.getMessage())));
  }

  /** One lead as the Leads page shows it. */
  public record LeadRow(String id, String businessName, String contactName, String contactEmail, String message,
                        String received, boolean handled) {}

  private Future<?> leads(RoutingContext ctx) {
    Principal p = PartnerPages.partner(ctx);
    return directory.leads(p, new DirectoryService.LeadPageRequest(null, param(ctx, "cursor")))
        .compose(page -> directory.listing(p).compose(listing -> {
          Map<String, Object> m = PartnerPages.base(ctx, "leads", "Leads");
          List<LeadRow> rows = new ArrayList<>();
          for (Lead l : page.leads()) {
            rows.add(new LeadRow(l.id().toString(), l.businessName(), l.contactName(), l.contactEmail(), l.message(),
                Web.day(Instant.parse(l.createdAt())), l.handled()));
          }
          m.put("leads", rows);
          m.put("nextCursor", page.nextCursor());
          m.put("listed", listing.listed());
          return web.render(ctx, "partner-leads", m);
        }));
  }

  private static UUID leadId(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("leadId"));
    } catch (RuntimeException e) {
      throw Problem.NOT_FOUND.exception("There is no such page");
    }
  }

  private Future<?> markHandled(RoutingContext ctx) {
    Principal p = PartnerPages.partner(ctx);
    return directory.markHandled(p, leadId(ctx))
        .compose(l -> web.redirect(ctx, "/partner/leads", "ok", "The lead from " + l.businessName() + " is handled."))
        .recover(err -> back(ctx, err));
  }

  /** The existing invite (by account, R1) with the lead's account filled in; the customer's owner accepts it. */
  private Future<?> invite(RoutingContext ctx) {
    Principal p = PartnerPages.partner(ctx);
    return directory.inviteFromLead(p, leadId(ctx))
        .compose(r -> web.redirect(ctx, "/partner/customers#invites", "ok", (r.invite().resent()
            ? "Your pending invite to " + r.lead().businessName() + " was sent again"
            : "Invite sent to " + r.lead().businessName()) + ". Its owner accepts or declines it under Partner invites; "
            + "the lead is handled."))
        .recover(err -> back(ctx, err));
  }

  private Future<Void> back(RoutingContext ctx, Throwable err) {
    return err instanceof DomainException
        ? web.redirect(ctx, "/partner/leads", "error", Web.problemText(err))
        : Future.failedFuture(err);
  }
}
