package com.partneraccess.http;

import com.partneraccess.rules.RuleFixtures;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.ServiceTest;
import com.partneraccess.support.TestSql;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every list of the API is paged by {@code cursor} and {@code limit} with a documented maximum (openapi.yaml):
 * jobs, activity history, the partner's invites, banners and access requests. Each is walked page by page (no
 * repeats, nothing missing, in order), its filters checked, and a limit over the maximum or a cursor of another
 * list refused with 400 and a reason.
 */
@DisplayName("API lists: cursor pages, filters and documented maximums")
class ListPagesTest extends ServiceTest {
  static TestSql sql;
  static RuleFixtures fx;

  @BeforeAll
  static void open() {
    sql = new TestSql(app.databaseUrl);
    fx = new RuleFixtures(app);
  }

  @AfterAll
  static void close() {
    sql.close();
  }

  /** Every page of {@code path} with {@code limit}, following nextCursor; the items' {@code idKey} in order. */
  static List<String> walk(String path, String token, String listKey, String idKey, int limit) {
    List<String> out = new ArrayList<>();
    String cursor = null;
    for (int i = 0; i < 200; i++) {
      String url = path + (path.contains("?") ? "&" : "?") + "limit=" + limit
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      JsonObject json = expect(api.get(url, token), 200).json();
      assertThat(json.getJsonArray(listKey).size()).isLessThanOrEqualTo(limit);
      json.getJsonArray(listKey).forEach(o -> out.add(String.valueOf(((JsonObject) o).getValue(idKey))));
      cursor = json.getString("nextCursor");
      if (cursor == null) {
        assertThat(new HashSet<>(out)).as("no repeats in %s", path).hasSameSizeAs(out);
        return out;
      }
    }
    throw new AssertionError("more than 200 pages of " + path);
  }

  static void refused(Reply r, String what) {
    assertThat(r.status()).as(what + ": " + r).isEqualTo(400);
    assertThat(r.json().getString("reason")).isEqualTo("VALIDATION_FAILED");
    assertThat(r.json().getString("detail")).as(what).isNotBlank();
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }

  @Test
  @DisplayName("Jobs: pages of equal creation times stay whole, newest first; filters by person and by day; at most 500")
  void jobs() {
    RuleFixtures.Connected c = fx.connected("List Jobs");
    Customer owner = c.customer();
    expect(api.post("/api/v1/account/jobs", owner.token(), new JsonObject().put("title", "Batch").put("quantity", 23)), 201);
    String session = api.session(c.partner(), c.accountId());
    expect(api.post("/api/v1/account/jobs", session, new JsonObject().put("title", "By partner").put("quantity", 5)), 201);

    List<String> all = walk("/api/v1/account/jobs", owner.token(), "jobs", "id", 4);
    assertThat(all).hasSize(28);
    assertThat(walk("/api/v1/account/jobs", owner.token(), "jobs", "id", 500)).containsExactlyElementsOf(all);

    List<String> byPartner = walk("/api/v1/account/jobs?person=partner:" + c.partner().partnerId(), owner.token(),
        "jobs", "id", 2);
    assertThat(byPartner).hasSize(5);
    assertThat(walk("/api/v1/account/jobs?person=user:" + owner.ownerId(), owner.token(), "jobs", "id", 10)).hasSize(23);
    String today = app.clock.now().toString().substring(0, 10);
    List<String> inRange = walk("/api/v1/account/jobs?from=" + today + "&to=" + today, owner.token(), "jobs", "id", 50);
    assertThat(inRange).hasSize(28);
    // a range walked in pages: the cursor and the range's end together (the repository keeps the tighter bound)
    assertThat(walk("/api/v1/account/jobs?from=" + today + "&to=" + today, owner.token(), "jobs", "id", 3))
        .containsExactlyElementsOf(inRange);
    assertThat(walk("/api/v1/account/jobs?to=2000-01-01", owner.token(), "jobs", "id", 50)).isEmpty();

    refused(api.get("/api/v1/account/jobs?limit=501", owner.token()), "limit 501");
    refused(api.get("/api/v1/account/jobs?person=someone", owner.token()), "person");
    refused(api.get("/api/v1/account/jobs?from=yesterday", owner.token()), "from");
    refused(api.get("/api/v1/account/jobs?from=2026-02-01&to=2026-01-01", owner.token()), "from after to");
  }

  @Test
  @DisplayName("R23 Activity history: cursor pages newest first; filters by person, kind or kind group and time range; at most 500")
  void activity() {
    RuleFixtures.Connected c = fx.connected("List Activity");
    Customer owner = c.customer();
    UUID account = UUID.fromString(c.accountId());
    UUID partner = UUID.fromString(c.partner().partnerId());
    Instant base = app.clock.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(10));
    String[] kinds = {"access.enabled", "access.disabled", "request.approved", "staff.added"};
    for (int i = 0; i < 40; i++) {
      sql.query("INSERT INTO activity (account_id, at, kind, actor_user_id, partner_id, summary) VALUES ($1, $2, $3, $4, $5, $6)",
          account, utc(base.plus(Duration.ofHours(i * 6L))), kinds[i % 4], i % 2 == 0 ? UUID.fromString(owner.ownerId()) : null,
          i % 2 == 0 ? null : partner, "Seeded " + i);
    }
    List<String> all = walk("/api/v1/account/activity", owner.token(), "activity", "id", 7);
    List<Long> ids = all.stream().map(Long::valueOf).toList();
    assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(walk("/api/v1/account/activity", owner.token(), "activity", "id", 500)).containsExactlyElementsOf(all);

    assertThat(walk("/api/v1/account/activity?kind=access", owner.token(), "activity", "id", 5)).hasSize(20);
    assertThat(walk("/api/v1/account/activity?kind=access.enabled", owner.token(), "activity", "id", 5)).hasSize(10);
    assertThat(walk("/api/v1/account/activity?person=partner:" + partner, owner.token(), "activity", "id", 9))
        .hasSizeGreaterThanOrEqualTo(20);
    String day = base.toString().substring(0, 10); // entries 0-3 are on the first day
    assertThat(walk("/api/v1/account/activity?from=" + day + "&to=" + day + "&kind=staff", owner.token(), "activity",
        "id", 5)).hasSize(1);
    // the older "before" id still pages
    List<JsonObject> page = new ArrayList<>();
    expect(api.get("/api/v1/account/activity?limit=3&before=" + ids.get(2), owner.token()), 200).json()
        .getJsonArray("activity").forEach(o -> page.add((JsonObject) o));
    assertThat(page.get(0).getLong("id")).isLessThan(ids.get(2));

    refused(api.get("/api/v1/account/activity?limit=501", owner.token()), "limit 501");
    refused(api.get("/api/v1/account/activity?kind=DROP%20TABLE", owner.token()), "kind");
    String jobsCursor = expect(api.get("/api/v1/account/jobs?limit=1", owner.token()), 200).json().getString("nextCursor");
    if (jobsCursor != null) {
      refused(api.get("/api/v1/account/activity?cursor=" + URLEncoder.encode(jobsCursor, StandardCharsets.UTF_8),
          owner.token()), "a jobs cursor on the activity list");
    }
    refused(api.get("/api/v1/account/activity?cursor=bm90LW91cnM", owner.token()), "a forged cursor");
  }

  @Test
  @DisplayName("R1 The partner's invites: cursor pages newest first, status filters, at most 100")
  void partnerInvites() {
    PartnerUser p = api.signUpPartner("List Invites");
    for (int i = 0; i < 7; i++) {
      expect(api.post("/api/v1/partner/invites", p.token(), new JsonObject().put("email", "list-invite-" + i + "-"
          + UUID.randomUUID().toString().substring(0, 6) + "@example.test")), 201);
    }
    List<String> all = walk("/api/v1/partner/invites", p.token(), "invites", "id", 3);
    assertThat(all).hasSize(7);
    assertThat(walk("/api/v1/partner/invites?status=open", p.token(), "invites", "id", 2)).containsExactlyElementsOf(all);
    assertThat(walk("/api/v1/partner/invites?status=expired", p.token(), "invites", "id", 2)).isEmpty();
    refused(api.get("/api/v1/partner/invites?limit=101", p.token()), "limit 101");
    refused(api.get("/api/v1/partner/invites?status=lost", p.token()), "status");
  }

  @Test
  @DisplayName("R17 Banners of the account and of the partner, and R16 access requests: cursor pages, at most 100 / 200")
  void bannersAndRequests() {
    RuleFixtures.Connected c = fx.connected("List Banners");
    UUID account = UUID.fromString(c.accountId());
    UUID partner = UUID.fromString(c.partner().partnerId());
    Instant now = app.clock.now().truncatedTo(ChronoUnit.SECONDS);
    UUID connection = UUID.fromString(sql.string(
        "SELECT id::text FROM connections WHERE account_id = $1 AND disconnected_at IS NULL", account));
    for (int i = 0; i < 12; i++) {
      for (String audience : List.of("account", "partner")) {
        sql.query("INSERT INTO banners (id, audience, account_id, partner_id, kind, message, created_at) "
            + "VALUES ($1, $2, $3, $4, 'access_enabled', $5, $6)", UUID.randomUUID(), audience, account, partner,
            "Seeded " + i, utc(now.minus(Duration.ofMinutes(i % 3)))); // equal times: the id breaks ties
      }
      sql.query("INSERT INTO access_requests (id, connection_id, account_id, partner_id, status, created_at, decided_at) "
          + "VALUES ($1, $2, $3, $4, 'denied', $5, $5)", UUID.randomUUID(), connection, account, partner,
          utc(now.minus(Duration.ofMinutes(i % 4))));
    }
    Customer owner = c.customer();
    assertThat(walk("/api/v1/account/banners", owner.token(), "banners", "id", 5)).hasSizeGreaterThanOrEqualTo(12);
    assertThat(walk("/api/v1/partner/banners", c.partner().token(), "banners", "id", 5)).hasSizeGreaterThanOrEqualTo(12);
    assertThat(walk("/api/v1/account/access-requests", owner.token(), "requests", "id", 4)).hasSize(12);
    assertThat(walk("/api/v1/account/access-requests?status=denied", owner.token(), "requests", "id", 5)).hasSize(12);
    refused(api.get("/api/v1/account/banners?limit=101", owner.token()), "banners limit 101");
    refused(api.get("/api/v1/partner/banners?limit=101", c.partner().token()), "partner banners limit 101");
    refused(api.get("/api/v1/account/access-requests?limit=201", owner.token()), "requests limit 201");
  }
}
