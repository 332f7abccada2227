package com.partneraccess.directory;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;
import com.partneraccess.commission.CommissionService;
import com.partneraccess.commission.Credits;
import com.partneraccess.db.Sql;
import com.partneraccess.invites.InviteService;
import com.partneraccess.notifications.MailOutbox;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * THE home of the partner directory: a partner opts in to a listing and edits it; a customer's owner and admins find
 * listed partners (by region and service) and send one a lead with "Contact me"; the partner reads its leads, marks
 * them handled, or invites the business from one (the ordinary invite, R1: the customer's owner still accepts it, a
 * customer never connects a partner itself). Leads are limited per account: {@value Input#LEADS_PER_DAY} in any 24
 * hours and one open lead per partner (429 with Retry-After beyond).
 */
public final class DirectoryService {
  /** The services a listing can offer, with the words the pages show. */
  public static final Map<String, String> SERVICES = servicesInOrder();
  /** The most partners one page of the directory holds (documented in openapi.yaml). */
  public static final int PAGE_MAX = 50;
  static final int PAGE_DEFAULT = 20;
  /** The last page number the directory serves (a bounded offset). */
  public static final int PAGE_NUMBER_MAX = 1000;
  /** The most leads one page of the Leads list holds (documented in openapi.yaml). */
  public static final int LEADS_PAGE_MAX = 100;
  static final int LEADS_PAGE_DEFAULT = 20;
  static final Duration LEAD_WINDOW = Duration.ofHours(24);
  /**
   * Retry-After of a refusal for an open lead: it stays open until the partner handles it, so the answer is a day after
   * it was sent, or a day from now once that has passed.
   */
  static final Duration OPEN_LEAD_RETRY = Duration.ofHours(24);

  private final DirectoryRepository repository;
  private final CommissionService commission;
  private final InviteService invites;
  private final AppClock clock;

  public DirectoryService(DirectoryRepository repository, CommissionService commission, InviteService invites,
                          AppClock clock) {
    this.repository = repository;
    this.commission = commission;
    this.invites = invites;
    this.clock = clock;
  }

  private static Map<String, String> servicesInOrder() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("bookkeeping", "Bookkeeping");
    m.put("payroll", "Payroll");
    m.put("tax", "Tax");
    m.put("setup", "Set-up");
    m.put("training", "Training");
    return java.util.Collections.unmodifiableMap(m);
  }

  // ---- the partner's listing ------------------------------------------------------------------------

  /** The partner's own listing, with its tier badge. */
  public Future<Listing> listing(Principal partner) {
    Permissions.require(partner, Operation.VIEW_LISTING);
    return withTier(repository.listing(repository.pool(), partner.partnerId()));
  }

  /** What a partner saves: whether it is listed, its region, services (tags of {@link #SERVICES}) and description. */
  public record SaveListing(Boolean listed, String region, List<String> services, String description) {}

  /** Saves the listing; a listed partner must give a region, at least one service and a description. */
  public Future<Listing> saveListing(Principal partner, SaveListing cmd) {
    Permissions.require(partner, Operation.EDIT_LISTING);
    boolean listed = Boolean.TRUE.equals(cmd.listed());
    String region = Input.optionalText(cmd.region(), "The region", Input.REGION_MAX);
    String description = Input.optionalText(cmd.description(), "The description", Input.DESCRIPTION_MAX);
    List<String> services = services(cmd.services());
    if (listed) {
      if (region == null) {
        throw Problem.VALIDATION_FAILED.exception("The region is required to be listed: say where you work");
      }
      if (services.isEmpty()) {
        throw Problem.VALIDATION_FAILED.exception("Choose at least one service to be listed");
      }
      if (description == null) {
        throw Problem.VALIDATION_FAILED.exception("The description is required to be listed: say how you help");
      }
    }
    OffsetDateTime now = clock.nowUtc();
    return withTier(repository.pool().withTransaction(tx -> repository.saveListing(tx, partner.partnerId(), listed,
            region, services, description, now)
        .compose(v -> repository.listing(tx, partner.partnerId()))));
  }

  /** The known tags, each once, in the order of {@link #SERVICES}; an unknown tag is refused. */
  static List<String> services(List<String> asked) {
    if (asked == null) {
      return List.of();
    }
    for (String s : asked) {
      if (s == null || !SERVICES.containsKey(s)) {
        throw Problem.VALIDATION_FAILED.exception("A service must be one of " + String.join(", ", SERVICES.keySet()));
      }
    }
    return SERVICES.keySet().stream().filter(asked::contains).toList();
  }

  private Future<Listing> withTier(Future<Listing> listing) {
    return listing.compose(l -> {
      if (l == null) {
        return Future.failedFuture(Problem.NOT_FOUND.exception("There is no such partner"));
      }
      return commission.creditsOf(List.of(l.partnerId())).map(c -> new Listing(l.partnerId(), l.organisation(),
          l.listed(), l.region(), l.services(), l.description(), c.get(l.partnerId()).tier(), l.updatedAt()));
    });
  }

  // ---- finding a partner ----------------------------------------------------------------------------

  /** A search of the directory: part of a region and a service tag (either may be absent), a page and its size. */
  public record Search(String region, String service, Integer page, Integer limit) {
    public static final Search ALL = new Search(null, null, null, null);
  }

  /** One page of listed partners (by organisation name), the page number and whether another follows. */
  public record DirectoryPage(List<DirectoryEntry> partners, int page, int limit, boolean hasMore) {}

  /**
   * Listed partners whose region contains the words asked (case-insensitive) and who offer the service, with their
   * tier badge and whether they are connected to the account already; at most {@value #PAGE_MAX} a page.
   */
  public Future<DirectoryPage> search(AccountActor actor, Search search) {
    Permissions.require(actor, Operation.FIND_PARTNERS);
    String region = Input.optionalText(search.region(), "The region", Input.REGION_MAX);
    String service = Input.oneOf(search.service(), "The service", SERVICES.keySet());
    int limit = Input.range(search.limit(), "limit", 1, PAGE_MAX, PAGE_DEFAULT);
    int page = Input.range(search.page(), "page", 1, PAGE_NUMBER_MAX, 1);
    return repository.search(actor.accountId(), region, service, limit + 1, (page - 1) * limit).compose(rows -> {
      List<DirectoryEntry> shown = rows.size() > limit ? rows.subList(0, limit) : rows;
      return withTiers(shown).map(list -> new DirectoryPage(list, page, limit, rows.size() > limit));
    });
  }

  /** One listed partner, as the Contact me form shows it; 404 when it is not listed. */
  public Future<DirectoryEntry> entry(AccountActor actor, UUID partnerId) {
    Permissions.require(actor, Operation.FIND_PARTNERS);
    return repository.entry(repository.pool(), actor.accountId(), partnerId)
        .compose(e -> e == null ? Future.failedFuture(notListed()) : withTiers(List.of(e)).map(l -> l.get(0)));
  }

  private Future<List<DirectoryEntry>> withTiers(List<DirectoryEntry> entries) {
    return commission.creditsOf(entries.stream().map(DirectoryEntry::partnerId).toList()).map(tiers -> {
      List<DirectoryEntry> out = new ArrayList<>(entries.size());
      for (DirectoryEntry e : entries) {
        Credits c = tiers.get(e.partnerId());
        out.add(e.withTier(c == null ? null : c.tier()));
      }
      return out;
    });
  }

  private static RuntimeException notListed() {
    return Problem.NOT_FOUND.exception("This partner is not in the directory (it may have left it)");
  }

  // ---- Contact me -----------------------------------------------------------------------------------

  /**
   * What sending a lead did: the lead, the partner's organisation name, and how many of its users are e-mailed (the
   * e-mails queued in the outbox with the lead; the relay sends them).
   */
  public record LeadSent(Lead lead, String partnerName, int emailsSent) {}

  /**
   * "Contact me": sends a listed partner a lead with the business, the caller's name and e-mail (from its user) and
   * its message (required, at most {@value Input#LEAD_MESSAGE_MAX} characters). One transaction locks the account
   * first, so its limits have one winner; the e-mails to the partner's users are written to the outbox in it
   * ({@link LeadMail}), so a lead that rolls back e-mails nobody.
   */
  public Future<LeadSent> contact(AccountActor actor, UUID partnerId, String message) {
    Permissions.require(actor, Operation.CONTACT_PARTNER);
    String text = Input.requiredText(message, "Your message", Input.LEAD_MESSAGE_MAX);
    if (actor.cancelled()) {
      throw Problem.ACCOUNT_CANCELLED.exception("A cancelled account cannot contact partners");
    }
    OffsetDateTime now = clock.nowUtc();
    return repository.pool().withTransaction(tx -> repository.lockSender(tx, actor.accountId(), actor.userId())
            .compose(sender -> sender == null
                ? Future.failedFuture(Problem.NOT_FOUND.exception("Your user is no longer in this account"))
                : repository.entry(tx, actor.accountId(), partnerId).compose(entry -> {
                  if (entry == null) {
                    return Future.failedFuture(notListed());
                  }
                  if (entry.connected()) {
                    return Future.failedFuture(Problem.ALREADY_CONNECTED.exception(entry.organisation()
                        + " is already connected to your account; you find it on your Staff page"));
                  }
                  return withinLimits(tx, actor.accountId(), entry, now)
                      .compose(v -> repository.insertLead(tx, partnerId, actor.accountId(), actor.userId(), sender,
                          text, now))
                      .recover(err -> Future.failedFuture(Sql.isUniqueViolation(err, "leads_one_open")
                          ? openLeadRefusal(entry.organisation(), now, now) : err))
                      .compose(lead -> repository.partnerRecipients(tx, partnerId)
                          .compose(to -> MailOutbox.enqueue(tx, LeadMail.outgoing(lead, entry.organisation(), to), now))
                          .map(n -> new LeadSent(lead, entry.organisation(), n)));
                })));
  }

  /** One open lead per partner and account; {@value Input#LEADS_PER_DAY} leads per account in any 24 hours. */
  private Future<Void> withinLimits(io.vertx.sqlclient.SqlClient tx, UUID accountId, DirectoryEntry entry,
                                    OffsetDateTime now) {
    return repository.openLead(tx, entry.partnerId(), accountId).compose(open -> {
      if (open != null) {
        return Future.failedFuture(openLeadRefusal(entry.organisation(), open, now));
      }
      return repository.recentLeads(tx, accountId, now.minus(LEAD_WINDOW)).compose(recent -> {
        if (recent.count() < Input.LEADS_PER_DAY) {
          return Future.<Void>succeededFuture();
        }
        long seconds = Math.max(1, Duration.between(now, recent.oldest().plus(LEAD_WINDOW)).toSeconds() + 1);
        return Future.failedFuture(Problem.TOO_MANY_ATTEMPTS.exception("Your account asked " + Input.LEADS_PER_DAY
            + " partners to contact it in the last 24 hours, the most allowed; try again in " + waitFor(seconds), seconds));
      });
    });
  }

  private static RuntimeException openLeadRefusal(String organisation, OffsetDateTime sentAt, OffsetDateTime now) {
    // a day after it was sent; once that has passed (the partner still has not handled it), a day from now
    long seconds = Duration.between(now, sentAt.plus(OPEN_LEAD_RETRY)).toSeconds();
    seconds = seconds > 0 ? seconds : OPEN_LEAD_RETRY.toSeconds();
    return Problem.TOO_MANY_ATTEMPTS.exception("You already asked " + organisation + " to contact you on "
        + sentAt.toInstant() + " and they have not handled it yet; wait for their answer", seconds);
  }

  private static String waitFor(long seconds) {
    long hours = seconds / 3600;
    if (hours >= 1) {
      return hours == 1 ? "1 hour" : hours + " hours";
    }
    long minutes = Math.max(1, (seconds + 59) / 60);
    return minutes == 1 ? "1 minute" : minutes + " minutes";
  }

  // ---- the partner's leads --------------------------------------------------------------------------

  /** One page of leads: how many and after which cursor (nextCursor of the previous page). */
  public record LeadPageRequest(Integer limit, String cursor) {
    public static final LeadPageRequest FIRST = new LeadPageRequest(null, null);
  }

  /** One page of the partner's leads, newest first, and the cursor of the next (null on the last). */
  public record LeadPage(List<Lead> leads, String nextCursor) {}

  /** The partner's own leads, newest first, at most {@value #LEADS_PAGE_MAX} a page (20 unless asked). */
  public Future<LeadPage> leads(Principal partner, LeadPageRequest request) {
    Permissions.require(partner, Operation.LIST_LEADS);
    int limit = Input.range(request.limit(), "limit", 1, LEADS_PAGE_MAX, LEADS_PAGE_DEFAULT);
    Cursor after = Cursor.decode(Input.optionalText(request.cursor(), "cursor", 200));
    return repository.leads(partner.partnerId(), after == null ? null : after.at(), after == null ? null : after.id(),
        limit + 1).map(rows -> {
          if (rows.size() <= limit) {
            return new LeadPage(rows, null);
          }
          List<Lead> shown = rows.subList(0, limit);
          Lead last = shown.get(limit - 1);
          return new LeadPage(List.copyOf(shown), new Cursor(OffsetDateTime.parse(last.createdAt()), last.id()).encode());
        });
  }

  /** Marks one of the partner's leads handled (handling a handled lead again changes nothing); 404 for another's. */
  public Future<Lead> markHandled(Principal partner, UUID leadId) {
    Permissions.require(partner, Operation.HANDLE_LEAD);
    return repository.markHandled(partner.partnerId(), leadId, partner.userId(), clock.nowUtc())
        .compose(lead -> lead != null ? Future.succeededFuture(lead) : ownLead(partner, leadId));
  }

  /** What inviting from a lead did: the lead (now handled) and the invite that was sent. */
  public record InvitedFromLead(Lead lead, InviteService.Sent invite) {}

  /**
   * The partner invites the business of its lead: the ordinary invite by account (R1; the customer's owner accepts
   * or declines it, R2), then the lead is handled.
   */
  public Future<InvitedFromLead> inviteFromLead(Principal partner, UUID leadId) {
    Permissions.require(partner, Operation.HANDLE_LEAD);
    return ownLead(partner, leadId)
        .compose(lead -> invites.create(partner, new InviteService.CreateInvite(lead.accountId(), null))
            .compose(sent -> markHandled(partner, leadId).map(handled -> new InvitedFromLead(handled, sent))));
  }

  private Future<Lead> ownLead(Principal partner, UUID leadId) {
    return repository.lead(partner.partnerId(), leadId).compose(lead -> lead == null
        ? Future.failedFuture(Problem.NOT_FOUND.exception("You have no such lead"))
        : Future.succeededFuture(lead));
  }

  /** The position of the last lead of a page: its time and id, as an opaque base64url text. */
  record Cursor(OffsetDateTime at, UUID id) {
    String encode() {
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString((at.toInstant() + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String cursor) {
      if (cursor == null) {
        return null;
      }
      try {
        String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        int bar = s.indexOf('|');
        return new Cursor(AppClock.utc(java.time.Instant.parse(s.substring(0, bar))), UUID.fromString(s.substring(bar + 1)));
      } catch (RuntimeException e) {
        throw Problem.VALIDATION_FAILED.exception("cursor is not one this service gave out; use nextCursor of the previous page");
      }
    }
  }
}
