package com.partneraccess.connections;

import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.ServiceTest;
import com.partneraccess.support.TestSql;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partner's Customers list that scales (issue 12 item 3): search (business name, owner e-mail), each filter
 * and its count, each sort, keyset pages without gaps or repeats while customers are added, and the limits, all
 * through {@code GET /api/v1/partner/customers}; the page answers the same query with the same refusals.
 * Customers are arranged with SQL (states relative to the service's clock) so each case reads dozens of them.
 */
@DisplayName("R4/R8 Customers list: search, filters with counts, sorts, cursor pages and limits")
class CustomerListTest extends ServiceTest {
  static TestSql sql;

  /** What a seeded customer is: its effective state (as the service must derive it) and its sort keys. */
  enum State { ENABLED_NO_CLOCK, ENABLED_LATER, ENABLED_EXPIRING, ENABLED_PAST_EXPIRY, DISABLED, EXPIRED }

  record Seeded(String accountId, String name, String email, State state, Instant expiresAt, Instant lastAccess,
                boolean requested) {
    boolean is(CustomerQuery.Filter f) {
      boolean expired = state == State.EXPIRED || state == State.ENABLED_PAST_EXPIRY;
      boolean expiring = state == State.ENABLED_EXPIRING;
      return switch (f) {
        case ALL -> true;
        case ENABLED -> state == State.ENABLED_NO_CLOCK || state == State.ENABLED_LATER || expiring;
        case DISABLED -> state == State.DISABLED;
        case EXPIRED -> expired;
        case REQUESTED -> requested;
        case EXPIRING -> expiring;
        case ATTENTION -> expiring || expired || requested;
      };
    }
  }

  @BeforeAll
  static void openSql() {
    sql = new TestSql(app.databaseUrl);
  }

  @AfterAll
  static void closeSql() {
    sql.close();
  }

  /** Adds a customer of {@code partnerId} in {@code state}; {@code lastAccess} null means never accessed. */
  static Seeded seed(String partnerId, String name, String email, State state, Instant lastAccess, boolean requested) {
    Instant now = app.clock.now().truncatedTo(ChronoUnit.SECONDS);
    UUID account = UUID.randomUUID();
    UUID connection = UUID.randomUUID();
    // the trigger of V008 derives expires_at: 60 days after the latest of these inputs (rule on for the account)
    Instant base = switch (state) {
      case ENABLED_LATER -> now.minus(Duration.ofDays(20));
      case ENABLED_EXPIRING -> now.minus(Duration.ofDays(50));
      case ENABLED_PAST_EXPIRY -> now.minus(Duration.ofDays(61));
      default -> null;
    };
    Instant access = base != null ? base : lastAccess;
    String connAccess = switch (state) {
      case DISABLED -> "disabled";
      case EXPIRED -> "expired";
      default -> "enabled";
    };
    sql.query("""
        INSERT INTO accounts (id, business_name, plan, job_count, hundredth_job_at, expiry_rule_from, created_at)
        VALUES ($1, $2, 'standard', $3, $4, $4, $5)""", account, name, base == null ? 0 : 100, utc(base), utc(now));
    sql.query("""
        INSERT INTO users (id, email, password_hash, name, kind, account_id, role, created_at)
        VALUES ($1, $2, 'not-a-hash', 'Owner', 'customer', $3, 'owner', $4)""", UUID.randomUUID(), email, account, utc(now));
    sql.query("""
        INSERT INTO connections (id, partner_id, account_id, origin, access, connected_at, enabled_at, last_accessed_at,
                                 access_changed_at)
        VALUES ($1, $2, $3, 'invite', $4, $5, $6, $7, $5)""", connection, UUID.fromString(partnerId), account, connAccess,
        utc(now.minus(Duration.ofDays(90))), utc(base), utc(access));
    if (requested) {
      sql.query("""
          INSERT INTO access_requests (id, connection_id, account_id, partner_id, status, created_at)
          VALUES ($1, $2, $3, $4, 'pending', $5)""", UUID.randomUUID(), connection, account, UUID.fromString(partnerId),
          utc(now));
    }
    Instant expires = base == null ? null : base.plus(Duration.ofDays(60));
    return new Seeded(account.toString(), name, email, state, expires, access, requested);
  }

  private static OffsetDateTime utc(Instant i) {
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }

  /** A partner with {@code n} customers in every state (names "<prefix> 000" …, so any collation sorts them alike). */
  /** A page as the partner's browser gets it (the session cookie carries the partner's token). */
  static HttpResponse<String> pageGet(PartnerUser p, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
          .header("Cookie", "pa_session=" + p.token()).header("Accept", "text/html").GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static List<Seeded> seedMix(PartnerUser partner, String prefix, int n) {
    List<Seeded> out = new ArrayList<>();
    State[] states = State.values();
    Instant now = app.clock.now().truncatedTo(ChronoUnit.SECONDS);
    for (int i = 0; i < n; i++) {
      State s = states[i % states.length];
      boolean requested = (s == State.DISABLED || s == State.EXPIRED || s == State.ENABLED_PAST_EXPIRY) && i % 4 < 2;
      Instant lastAccess = i % 5 == 0 ? null : now.minus(Duration.ofHours(i * 7L % 40 + 1));
      out.add(seed(partner.partnerId(), String.format("%s %03d", prefix, (i * 37) % n),
          "owner-" + prefix.toLowerCase().replace(' ', '-') + "-" + i + "@example.test", s, lastAccess, requested));
    }
    return out;
  }

  static Reply list(PartnerUser p, String query) {
    return api.get("/api/v1/partner/customers" + (query.isEmpty() ? "" : "?" + query), p.token());
  }

  /** Every page of a query, following nextCursor; the account ids in the order served. */
  static List<String> allPages(PartnerUser p, String query, int limit) {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 100; page++) {
      String q = query + (query.isEmpty() ? "" : "&") + "limit=" + limit
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      JsonObject json = expect(list(p, q), 200).json();
      assertThat(json.getJsonArray("customers").size()).isLessThanOrEqualTo(limit);
      json.getJsonArray("customers").forEach(o -> ids.add(((JsonObject) o).getString("accountId")));
      cursor = json.getString("nextCursor");
      if (cursor == null) {
        return ids;
      }
    }
    throw new AssertionError("more than 100 pages");
  }

  static List<String> ids(List<Seeded> seeded, Predicate<Seeded> which, Comparator<Seeded> order) {
    return seeded.stream().filter(which).sorted(order).map(Seeded::accountId).toList();
  }

  @Test
  @DisplayName("Search matches the business name or the owner's e-mail, case-insensitively, and % or _ match only themselves")
  void search() {
    PartnerUser p = api.signUpPartner("Search Partners");
    Seeded bakery = seed(p.partnerId(), "Hillside Bakery", "anna@bread.example", State.ENABLED_NO_CLOCK, null, false);
    Seeded organic = seed(p.partnerId(), "100% Organic", "bob@farm.example", State.DISABLED, null, false);
    Seeded underscore = seed(p.partnerId(), "Under_score Ltd", "carol@under.example", State.ENABLED_LATER, null, false);
    Seeded other = seed(p.partnerId(), "Harbour Cafe", "dan@bakery-supplies.example", State.EXPIRED, null, false);

    assertThat(allPages(p, "q=hillSIDE", 50)).containsExactly(bakery.accountId());
    assertThat(allPages(p, "q=BAKERY", 50)).containsExactlyInAnyOrder(bakery.accountId(), other.accountId());
    assertThat(allPages(p, "q=carol%40under", 50)).containsExactly(underscore.accountId());
    assertThat(pageGet(p, "/partner/customers?q=%25").body()).contains("100% Organic").doesNotContain("Hillside Bakery")
        .doesNotContain("Under_score Ltd");
    // the API decodes a query value once (vertx-openapi 5.0.10 decoded it twice: "%" was refused, "%7B" became "{")
    assertThat(allPages(p, "q=%25", 50)).containsExactly(organic.accountId());
    assertThat(allPages(p, "q=%257B", 50)).isEmpty();
    assertThat(allPages(p, "q=100%25+Org", 50)).containsExactly(organic.accountId());
    assertThat(allPages(p, "q=_", 50)).containsExactly(underscore.accountId());
    assertThat(allPages(p, "q=nothing-like-this", 50)).isEmpty();
    // the counts follow the search
    JsonObject counts = expect(list(p, "q=bakery"), 200).json().getJsonObject("counts");
    assertThat(counts.getInteger("all")).isEqualTo(2);
    assertThat(counts.getInteger("expired")).isEqualTo(1);
    assertThat(counts.getInteger("enabled")).isEqualTo(1);
    // the line carries the owner's e-mail the search matched
    assertThat(api.customerOf(p, bakery.accountId()).getString("ownerEmail")).isEqualTo("anna@bread.example");
  }

  @Test
  @DisplayName("A search's counts are bounded: past 1,000 matches they count the first 1,000, say capped and show 1000+; a narrower search counts exactly")
  void searchCountsAreBounded() {
    PartnerUser p = api.signUpPartner("Capped Partners");
    OffsetDateTime now = utc(app.clock.now().truncatedTo(ChronoUnit.SECONDS));
    // 1,005 customers named "Capped 0000" ... "Capped 1004", every one disabled (so each filter's count is known)
    sql.query("""
        INSERT INTO accounts (id, business_name, plan, job_count, created_at)
        SELECT md5('capped-' || g)::uuid, 'Capped ' || lpad(g::text, 4, '0'), 'standard', 0, $1
          FROM generate_series(0, 1004) g""", now);
    sql.query("""
        INSERT INTO connections (id, partner_id, account_id, origin, access, connected_at, access_changed_at)
        SELECT gen_random_uuid(), $1, md5('capped-' || g)::uuid, 'invite', 'disabled', $2, $2
          FROM generate_series(0, 1004) g""", UUID.fromString(p.partnerId()), now);

    JsonObject capped = expect(list(p, "q=capped"), 200).json();
    assertThat(capped.getJsonObject("counts").getBoolean("capped")).isTrue();
    assertThat(capped.getJsonObject("counts").getInteger("all")).isEqualTo(CustomerQuery.SEARCH_COUNTED);
    assertThat(capped.getJsonObject("counts").getInteger("disabled")).isEqualTo(CustomerQuery.SEARCH_COUNTED);
    assertThat(capped.getJsonArray("customers")).hasSize(50);
    // (a machine busy with other tests may shed the page with 503 + Retry-After: ask again, as a browser would)
    String page = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> pageGet(p, "/partner/customers?q=capped"), r -> r.statusCode() != 503).body();
    assertThat(page).contains("1000+").contains("More than 1000 customers match");

    JsonObject narrow = expect(list(p, "q=capped+100"), 200).json().getJsonObject("counts");
    assertThat(narrow.getBoolean("capped")).isFalse();
    assertThat(narrow.getInteger("all")).isEqualTo(5); // Capped 1000 ... 1004
    JsonObject whole = expect(list(p, ""), 200).json().getJsonObject("counts");
    assertThat(whole.getBoolean("capped")).as("the list without a search always counts everything").isFalse();
    assertThat(whole.getInteger("all")).isEqualTo(1005);
  }

  @ParameterizedTest(name = "filter {0}")
  @EnumSource(CustomerQuery.Filter.class)
  @DisplayName("R14 Each filter shows exactly the customers in that state now (enabled past its expiry is expired), and its count says how many")
  void eachFilter(CustomerQuery.Filter filter) {
    PartnerUser p = api.signUpPartner("Filter Partners " + filter.param());
    List<Seeded> seeded = seedMix(p, "Filter " + filter.param(), 36);
    List<String> expected = ids(seeded, s -> s.is(filter), Comparator.comparing(Seeded::name));

    assertThat(allPages(p, "filter=" + filter.param(), 7)).containsExactlyElementsOf(expected);
    JsonObject counts = expect(list(p, ""), 200).json().getJsonObject("counts");
    assertThat(counts.getInteger(filter.param())).isEqualTo(expected.size());
    assertThat(expected).as("the fixture covers the filter").isNotEmpty();
  }

  @ParameterizedTest(name = "sort {0}")
  @EnumSource(CustomerQuery.Sort.class)
  @DisplayName("Each sort orders the whole list across pages: name A-Z, expiry soonest first (never last), last access latest first (never last)")
  void eachSort(CustomerQuery.Sort sort) {
    PartnerUser p = api.signUpPartner("Sort Partners " + sort.param());
    List<Seeded> seeded = seedMix(p, "Sort " + sort.param(), 30);
    Comparator<Seeded> byId = Comparator.comparing(Seeded::accountId); // PostgreSQL compares uuids as unsigned bytes
    Comparator<Seeded> order = switch (sort) {
      case NAME -> Comparator.comparing(Seeded::name).thenComparing(byId);
      case EXPIRY -> Comparator.comparing((Seeded s) -> s.expiresAt() == null ? Instant.MAX : s.expiresAt())
          .thenComparing(byId);
      case LAST_ACCESS -> Comparator.comparing((Seeded s) -> s.lastAccess() == null ? Instant.MIN : s.lastAccess())
          .thenComparing(byId).reversed();
    };
    assertThat(allPages(p, "sort=" + sort.param(), 4)).containsExactlyElementsOf(ids(seeded, s -> true, order));
    // a filter keeps the order
    assertThat(allPages(p, "sort=" + sort.param() + "&filter=attention", 3))
        .containsExactlyElementsOf(ids(seeded, s -> s.is(CustomerQuery.Filter.ATTENTION), order));
  }

  @Test
  @DisplayName("Cursor pages have no gaps and no repeats while customers are added before and after the cursor")
  void pagingUnderInserts() {
    long seed = Long.getLong("test.seed", new Random().nextLong());
    for (long s : new long[] {42L, seed}) {
      try {
        pagingUnderInserts(s);
      } catch (AssertionError e) {
        throw new AssertionError("seed " + s + " (re-run with -Dtest.seed=" + s + "): " + e.getMessage(), e);
      }
    }
  }

  private void pagingUnderInserts(long seed) {
    Random random = new Random(seed);
    PartnerUser p = api.signUpPartner("Paging Partners " + seed);
    List<Seeded> before = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      before.add(seed(p.partnerId(), String.format("Paging %04d", i * 25), "paging-" + seed + "-" + i + "@example.test",
          State.values()[random.nextInt(State.values().length)], null, false));
    }
    List<String> served = new ArrayList<>();
    Map<String, String> added = new LinkedHashMap<>();
    String cursor = null;
    for (int page = 0; page < 100; page++) {
      JsonObject json = expect(list(p, "limit=6" + (cursor == null ? ""
          : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))), 200).json();
      json.getJsonArray("customers").forEach(o -> served.add(((JsonObject) o).getString("accountId")));
      cursor = json.getString("nextCursor");
      if (cursor == null) {
        break;
      }
      for (int k = 0; k < 3; k++) { // new customers anywhere in the order, before and after the cursor
        String name = String.format("Paging %04d", random.nextInt(1000));
        added.put(seed(p.partnerId(), name, "paging-" + seed + "-new-" + added.size() + "@example.test",
            State.ENABLED_NO_CLOCK, null, false).accountId(), name);
      }
    }
    assertThat(new HashSet<>(served)).as("no repeats").hasSameSizeAs(served);
    assertThat(served).as("no gaps: every customer there from the start is served")
        .containsAll(before.stream().map(Seeded::accountId).toList());
    Set<String> known = new HashSet<>(before.stream().map(Seeded::accountId).toList());
    known.addAll(added.keySet());
    assertThat(known).containsAll(served);
  }

  @Test
  @DisplayName("Limits: at most 100 a page, a search of at most 100 characters, known filters and sorts, cursors of this list; 400 with a reason, on the API and the page alike")
  void limits() {
    PartnerUser p = api.signUpPartner("Limit Partners");
    seedMix(p, "Limit", 12);
    assertThat(expect(list(p, "limit=100"), 200).json().getJsonArray("customers")).hasSize(12);
    for (String bad : List.of("limit=101", "limit=0", "limit=-1", "limit=many", "q=" + "x".repeat(101),
        "filter=everything", "sort=random", "cursor=not-a-cursor", "cursor=" + "A".repeat(401))) {
      Reply r = list(p, bad);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.json().getString("reason")).as(bad).isEqualTo("VALIDATION_FAILED");
      assertThat(r.json().getString("detail")).as(bad).isNotBlank();
    }
    // a cursor of one sort is refused for another
    String byName = expect(list(p, "limit=2&sort=name"), 200).json().getString("nextCursor");
    Reply other = list(p, "limit=2&sort=expiry&cursor=" + URLEncoder.encode(byName, StandardCharsets.UTF_8));
    assertThat(other.status()).isEqualTo(400);
    assertThat(other.json().getString("detail")).contains("another sort order");

    HttpResponse<String> tooMany = pageGet(p, "/partner/customers?limit=500");
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(tooMany.body()).contains("limit must be between 1 and 100");
    assertThat(pageGet(p, "/partner/customers?limit=25").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("The page: open invites near the top, the Needs attention group, counts per filter, search, filter and next page")
  void page() {
    PartnerUser p = api.signUpPartner("Page Partners");
    List<Seeded> seeded = seedMix(p, "Page", 60);
    expect(api.post("/api/v1/partner/invites", p.token(), new JsonObject().put("email", "someone@invited.example")), 201);
    String html = pageGet(p, "/partner/customers").body();
    assertThat(html.indexOf("id=\"invites\"")).as("invites before the list").isLessThan(html.indexOf("id=\"customers\""));
    assertThat(html).contains("someone@invited.example");
    long attention = seeded.stream().filter(s -> s.is(CustomerQuery.Filter.ATTENTION)).count();
    assertThat(html).contains("Needs attention: " + attention);
    assertThat(html.indexOf("id=\"attention\"")).isLessThan(html.indexOf("id=\"customers\""));
    assertThat(html).contains("data-count=\"disabled\">" + seeded.stream().filter(s -> s.is(CustomerQuery.Filter.DISABLED)).count() + "<");
    assertThat(html).contains("Showing 50 of 60").contains("rel=\"next\"");

    String filtered = pageGet(p, "/partner/customers?filter=expiring&limit=25").body();
    long expiring = seeded.stream().filter(s -> s.is(CustomerQuery.Filter.EXPIRING)).count();
    assertThat(filtered).contains("Expiring within 14 days: " + expiring).doesNotContain("id=\"attention\"");
    String searched = pageGet(p, "/partner/customers?q=page+007").body();
    assertThat(searched).contains("Page 007").doesNotContain("Page 008");
  }
}
