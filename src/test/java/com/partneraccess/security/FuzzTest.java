package com.partneraccess.security;

import com.partneraccess.http.ApiContract;
import com.partneraccess.rules.RuleFixtures;
import com.partneraccess.rules.RuleFixtures.StaffUser;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.PageClient;
import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A schema-driven fuzzer (issue 9, item 3). Every operation of {@code openapi.yaml} and every form the pages show
 * is sent valid, boundary and hostile values (long strings, NUL, unicode, wrong types, missing and extra fields,
 * huge numbers, bad UUIDs, broken bodies) as the owner, an admin, staff, a partner, a partner inside the account
 * (account-scoped token) and anonymous visitors, so the handlers behind the checks are reached. Asserted for every
 * answer: no status of 500 or more; every API error is {@code application/problem+json}; every page error is an
 * HTML page. One run with a fixed seed, one with a random seed (set {@code -Dfuzz.seed=N} to replay; the seed is in
 * the failure message). The state it works on (accounts, connections, invites, requests) is rebuilt every
 * {@value #WORLD_REQUESTS} requests so cancelled accounts and ended sessions do not starve the later requests.
 */
@DisplayName("Fuzzing every API operation and every page form: never a 5xx, errors always in the caller's format")
class FuzzTest {
  private static final Logger LOG = LoggerFactory.getLogger(FuzzTest.class);
  static final long FIXED_SEED = 20261201L;
  static final int API_REQUESTS = 1_850;
  static final int PAGE_REQUESTS = 700;
  static final int WORLD_REQUESTS = 425;
  static final String PASSWORD = RuleFixtures.PASSWORD;

  static TestApp app;
  static ApiClient api;
  static RuleFixtures fx;
  static JsonObject contract;
  static List<Operation> operations;

  @BeforeAll
  static void start() throws Exception {
    app = TestApp.start(RuleFixtures.productConfig());
    api = app.api();
    fx = new RuleFixtures(app);
    contract = ApiContract.read();
    operations = operations(contract);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  @DisplayName("A fixed seed: the same requests every run")
  void fixedSeed() {
    new Run(FIXED_SEED).go();
  }

  @Test
  @DisplayName("A random seed (printed on failure; replay with -Dfuzz.seed=N)")
  void randomSeed() {
    Long given = Long.getLong("fuzz.seed");
    new Run(given != null ? given : new SecureRandom().nextLong()).go();
  }

  // ---- the contract ----------------------------------------------------------------------------

  record Param(String name, String in, boolean required, JsonObject schema) {}

  record Operation(String id, String method, String path, List<Param> params, JsonObject body, boolean bodyRequired) {}

  static List<Operation> operations(JsonObject doc) {
    List<Operation> ops = new ArrayList<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : List.of("get", "post", "put", "delete", "patch")) {
        JsonObject op = item.getJsonObject(method);
        if (op == null) {
          continue;
        }
        List<Param> params = new ArrayList<>();
        JsonArray ps = op.getJsonArray("parameters", new JsonArray());
        for (Object o : ps) {
          JsonObject p = resolve(doc, (JsonObject) o);
          params.add(new Param(p.getString("name"), p.getString("in"), p.getBoolean("required", false),
              resolve(doc, p.getJsonObject("schema", new JsonObject()))));
        }
        JsonObject rb = op.getJsonObject("requestBody");
        JsonObject body = rb == null ? null
            : resolve(doc, rb.getJsonObject("content").getJsonObject("application/json").getJsonObject("schema"));
        ops.add(new Operation(op.getString("operationId"), method.toUpperCase(), "/api/v1" + path, params, body,
            rb != null && rb.getBoolean("required", false)));
      }
    }
    return ops;
  }

  static JsonObject resolve(JsonObject doc, JsonObject node) {
    while (node != null && node.containsKey("$ref")) {
      JsonObject target = doc;
      for (String part : node.getString("$ref").substring(2).split("/")) {
        target = target.getJsonObject(part);
      }
      node = target;
    }
    return node;
  }

  // ---- one run -------------------------------------------------------------------------------------

  /** A page form as the crawler found it: where it posts, its fields and their offered values. */
  record PageForm(String action, Map<String, List<String>> fields) {}

  /** The accounts, people and ids requests are made about; rebuilt every {@value #WORLD_REQUESTS} requests. */
  static final class World {
    Customer owner;
    StaffUser admin;
    StaffUser staff;
    PartnerUser partner;
    PartnerUser waiting;
    String session;
    Customer spare;
    final Map<String, List<String>> ids = new LinkedHashMap<>();
    final Map<String, PageClient> pages = new LinkedHashMap<>();
    final Map<String, List<PageForm>> forms = new LinkedHashMap<>();
    final Map<String, List<String>> links = new LinkedHashMap<>();
  }

  final class Run {
    final long seed;
    final Random rnd;
    final List<String> failures = new ArrayList<>();
    final Map<String, Integer> statuses = new java.util.TreeMap<>();
    int sent;
    int worlds;
    final List<String> slow = new ArrayList<>();
    World w;

    Run(long seed) {
      this.seed = seed;
      this.rnd = new Random(seed);
    }

    void go() {
      LOG.info("fuzzing with seed {} ({} API and {} page requests)", seed, API_REQUESTS, PAGE_REQUESTS);
      long started = System.nanoTime();
      int total = API_REQUESTS + PAGE_REQUESTS;
      for (int i = 0; i < total; i++) {
        if (i % WORLD_REQUESTS == 0) {
          w = world();
        }
        long t0 = System.nanoTime();
        boolean isApi = rnd.nextInt(total) < API_REQUESTS;
        if (isApi) {
          apiRequest(i);
        } else {
          pageRequest(i);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (ms > 300) {
          slow.add("#" + i + (isApi ? " api " : " page ") + ms + " ms");
        }
      }
      LOG.info("seed {}: {} requests in {} ms over {} worlds; statuses {}", seed, sent,
          (System.nanoTime() - started) / 1_000_000, worlds, statuses);
      if (!slow.isEmpty()) {
        LOG.info("seed {}: requests over 300 ms: {}", seed, slow);
      }
      assertThat(sent).isGreaterThanOrEqualTo(total);
      assertThat(failures).as("fuzz seed %d (replay with -Dfuzz.seed=%d): %d of %d answers broke the rules; the first:%n%s",
          seed, seed, failures.size(), sent, String.join("\n", failures.subList(0, Math.min(15, failures.size()))))
          .isEmpty();
    }

    // ---- the world ------------------------------------------------------------------------------

    World world() {
      worlds++;
      World n = new World();
      String tag = "Fuzz " + seed % 10_000 + "-" + worlds;
      n.owner = api.signUpCustomer(tag + " Co", null);
      n.admin = fx.staff(n.owner, "admin");
      n.staff = fx.staff(n.owner, "staff");
      n.partner = api.signUpPartner(tag + " Partners");
      api.connectByInvite(n.partner, n.owner);
      n.session = api.session(n.partner, n.owner.accountId());
      n.waiting = api.signUpPartner(tag + " Waiting");
      api.connectByInvite(n.waiting, n.owner);
      expect(api.setAccess(n.owner, n.waiting.partnerId(), false), 200);
      String requestId = fx.requestAccessId(n.waiting, n.owner.accountId());
      PartnerUser third = api.signUpPartner(tag + " Third");
      String inviteId = fx.invite(third, n.owner.accountId());
      String ownerless = fx.addCustomer(n.partner, tag + " Ownerless", null, null).getString("accountId");
      n.spare = api.signUpCustomer(tag + " Spare", null);
      List<String> banners = new ArrayList<>();
      fx.accountBanners(n.owner.token()).forEach(b -> banners.add(b.getString("id")));
      fx.partnerBanners(n.waiting).forEach(b -> banners.add(b.getString("id")));
      n.ids.put("accountId", List.of(n.owner.accountId(), ownerless, n.spare.accountId()));
      n.ids.put("partnerId", List.of(n.partner.partnerId(), n.waiting.partnerId(), third.partnerId()));
      n.ids.put("inviteId", List.of(inviteId));
      n.ids.put("requestId", List.of(requestId));
      n.ids.put("bannerId", banners.isEmpty() ? List.of(UUID.randomUUID().toString()) : banners);
      n.ids.put("userId", List.of(n.admin.userId(), n.staff.userId(), n.owner.ownerId()));

      PageClient anonymous = new PageClient(app.baseUrl());
      PageClient owner = new PageClient(app.baseUrl());
      owner.signIn(n.owner.email(), PASSWORD);
      PageClient partner = new PageClient(app.baseUrl());
      partner.signIn(n.partner.email(), PASSWORD);
      PageClient inside = new PageClient(app.baseUrl());
      inside.signIn(n.partner.email(), PASSWORD);
      HttpResponse<String> login = inside.post("/partner/customers/" + n.owner.accountId() + "/login", Map.of());
      assertThat(login.statusCode()).as("partner logs in to the customer through the page").isEqualTo(303);
      PageClient admin = new PageClient(app.baseUrl());
      admin.signIn(n.admin.email(), PASSWORD);
      n.pages.put("anonymous", anonymous);
      n.pages.put("owner", owner);
      n.pages.put("admin", admin);
      n.pages.put("partner", partner);
      n.pages.put("partner-inside", inside);
      Map<String, List<String>> seeds = Map.of(
          "anonymous", List.of("/signin", "/signup", "/partners/signup", "/staff-invite?token=abcdefghijklmnop"),
          "owner", List.of("/app", "/app/partners/" + n.waiting.partnerId() + "/disconnect", "/app/cancel"),
          "admin", List.of("/app"),
          "partner", List.of("/partner/customers", "/partner/customers/new", "/partner/invites/new",
              "/partner/customers/" + n.owner.accountId() + "/disconnect"),
          "partner-inside", List.of("/app"));
      for (Map.Entry<String, PageClient> e : n.pages.entrySet()) {
        crawl(n, e.getKey(), e.getValue(), seeds.get(e.getKey()));
      }
      return n;
    }

    private final Pattern formPattern = Pattern.compile("<form\\b([^>]*)>(.*?)</form>", Pattern.DOTALL);
    private final Pattern attr = Pattern.compile("([a-zA-Z-]+)=\"([^\"]*)\"");
    private final Pattern input = Pattern.compile("<(?:input|textarea)\\b([^>]*)>");
    private final Pattern select = Pattern.compile("<select\\b([^>]*)>(.*?)</select>", Pattern.DOTALL);
    private final Pattern option = Pattern.compile("<option\\b[^>]*value=\"([^\"]*)\"");
    private final Pattern formaction = Pattern.compile("formaction=\"(/[^\"]*)\"");
    private final Pattern href = Pattern.compile("href=\"(/[^\"#]*)\"");

    /** GETs the pages a visitor reaches from {@code seeds} (two links deep) and keeps their forms and links. */
    void crawl(World n, String who, PageClient client, List<String> seeds) {
      List<PageForm> forms = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      List<String> queue = new ArrayList<>(seeds);
      for (int depth = 0; depth < 2 && !queue.isEmpty(); depth++) {
        List<String> next = new ArrayList<>();
        for (String path : queue) {
          if (!seen.add(path) || path.startsWith("/static") || seen.size() > 30) {
            continue;
          }
          HttpResponse<String> r = client.get(path);
          check(r, "crawl " + who + " GET " + path);
          String html = r.body();
          Matcher fm = formPattern.matcher(html);
          while (fm.find()) {
            Map<String, String> fa = attrs(fm.group(1));
            if (!"post".equalsIgnoreCase(fa.get("method")) || fa.get("action") == null) {
              continue;
            }
            Map<String, List<String>> fields = new LinkedHashMap<>();
            Matcher f = input.matcher(fm.group(2));
            while (f.find()) {
              Map<String, String> a = attrs(f.group(1));
              String name = a.get("name");
              if (name != null && !name.equals("_csrf")) {
                List<String> values = fields.computeIfAbsent(name, k -> new ArrayList<>());
                if (a.get("value") != null) {
                  values.add(a.get("value"));
                }
              }
            }
            Matcher sel = select.matcher(fm.group(2));
            while (sel.find()) {
              String name = attrs(sel.group(1)).get("name");
              if (name != null) {
                List<String> values = fields.computeIfAbsent(name, k -> new ArrayList<>());
                Matcher o = option.matcher(sel.group(2));
                while (o.find()) {
                  values.add(o.group(1));
                }
              }
            }
            forms.add(new PageForm(fa.get("action"), fields));
            Matcher fa2 = formaction.matcher(fm.group(2));
            while (fa2.find()) {
              forms.add(new PageForm(fa2.group(1), fields));
            }
          }
          Matcher fa3 = formaction.matcher(html);
          while (fa3.find()) {
            forms.add(new PageForm(fa3.group(1), Map.of()));
          }
          Matcher h = href.matcher(html);
          while (h.find()) {
            next.add(h.group(1).replace("&amp;", "&"));
          }
        }
        queue = next;
      }
      // signing out or leaving the account would end this visitor's session for the rest of the world
      forms.removeIf(f -> !who.equals("anonymous") && (f.action().equals("/signout") || f.action().equals("/app/leave")));
      n.forms.put(who, forms);
      n.links.put(who, new ArrayList<>(seen));
    }

    Map<String, String> attrs(String s) {
      Map<String, String> m = new LinkedHashMap<>();
      Matcher a = attr.matcher(s);
      while (a.find()) {
        m.put(a.group(1).toLowerCase(), a.group(2).replace("&amp;", "&"));
      }
      return m;
    }

    // ---- API requests ---------------------------------------------------------------------------

    void apiRequest(int i) {
      Operation op = operations.get(rnd.nextInt(operations.size()));
      String[] callers = {"owner", "admin", "staff", "partner", "partner-scoped", "anonymous", "bad-token"};
      String caller = callers[rnd.nextInt(callers.length)];
      String token = switch (caller) {
        case "owner" -> w.owner.token();
        case "admin" -> w.admin.token();
        case "staff" -> w.staff.token();
        case "partner" -> w.partner.token();
        case "partner-scoped" -> w.session;
        case "bad-token" -> pick(List.of("garbage", "a.b.c", w.owner.token() + "x", w.session + "=", ""));
        default -> null;
      };
      if (op.id().equals("revokeToken") && token != null && !caller.equals("bad-token")) {
        token = api.token(w.spare.email(), PASSWORD); // signing out a throw-away token keeps the world's sessions
        caller = "spare";
      }
      String path = op.path();
      StringJoiner query = new StringJoiner("&");
      Map<String, String> headers = new LinkedHashMap<>();
      for (Param p : op.params()) {
        switch (p.in()) {
          case "path" -> path = path.replace("{" + p.name() + "}", encode(pathValue(p.name())));
          case "query" -> {
            if (p.required() || rnd.nextInt(3) > 0) {
              Object v = value(p.schema(), p.name(), 0);
              query.add(encode(p.name()) + "=" + encode(v == null ? "" : String.valueOf(v)));
            }
          }
          case "header" -> {
            if (rnd.nextInt(3) > 0) {
              headers.put(p.name(), rnd.nextBoolean() ? TestApp.OPS_TOKEN : ascii(hostileString()));
            }
          }
          default -> { }
        }
      }
      if (rnd.nextInt(20) == 0) {
        query.add(encode(pick(List.of("x", "limit", "\u0000", "ü"))) + "=" + encode(hostileString()));
      }
      String url = path + (query.length() == 0 ? "" : "?" + query);
      String body = null;
      String contentType = "application/json";
      if (op.body() != null || rnd.nextInt(10) == 0) {
        int shape = rnd.nextInt(20);
        if (shape == 0) {
          body = pick(List.of("{", "[]", "\"text\"", "null", "42", "{\"a\":", "[".repeat(3000), "{}}",
              "{\"title\":\"" + "x".repeat(70_000) + "\"}", "\u0000", "{\"title\":\"\\ud800\"}"));
        } else if (shape == 1) {
          contentType = pick(List.of("text/plain", "application/x-www-form-urlencoded", "application/xml", ""));
          body = "title=x&name=y";
        } else if (shape == 2 && !op.bodyRequired()) {
          body = null;
        } else {
          Object v = op.body() == null ? new JsonObject().put("unexpected", hostileValue()) : value(op.body(), "body", 0);
          body = v instanceof JsonObject o ? o.encode() : v instanceof JsonArray a ? a.encode()
              : io.vertx.core.json.Json.encode(v);
        }
      }
      if (op.id().equals("advanceTestClock") && body != null && body.contains("days")) {
        // the clock only moves forward: keep the world's dates in this millennium
        body = new JsonObject().put("days", rnd.nextInt(3)).put("sweep", rnd.nextBoolean()).encode();
      }
      if (token != null) {
        headers.put("Authorization", "Bearer " + token);
      }
      if (body != null && !contentType.isEmpty()) {
        headers.put("Content-Type", contentType);
      }
      Reply r;
      try {
        r = api.send(op.method(), url, headers, body);
      } catch (RuntimeException e) {
        failures.add(describe(i, op.method() + " " + url, caller, body) + " -> no answer: " + e);
        return;
      }
      sent++;
      statuses.merge(String.valueOf(r.status()), 1, Integer::sum);
      String what = describe(i, op.method() + " " + url, caller, body);
      if (r.status() >= 500) {
        failures.add(what + " -> " + r.status() + " " + excerpt(r.body()));
      } else if (r.status() >= 400 && !String.valueOf(r.header("Content-Type")).startsWith("application/problem+json")) {
        failures.add(what + " -> " + r.status() + " as " + r.header("Content-Type") + ", not problem+json");
      }
    }

    String pathValue(String name) {
      List<String> known = w.ids.getOrDefault(name, List.of());
      int roll = rnd.nextInt(10);
      if (roll < 6 && !known.isEmpty()) {
        return pick(known);
      }
      if (roll < 8) {
        return UUID.randomUUID().toString();
      }
      return pick(List.of("not-a-uuid", "\u0000", "00000000-0000-0000-0000-000000000000", "x".repeat(300), "ü",
          "' OR 1=1--", "..", "12345678-1234-1234-1234-1234567890123", "%", "1e9"));
    }

    /** A value for {@code schema}: mostly valid (boundaries included), sometimes hostile or missing. */
    Object value(JsonObject schema, String name, int depth) {
      schema = resolve(contract, schema);
      if (rnd.nextInt(8) == 0) {
        return hostileValue();
      }
      Object type = schema.getValue("type");
      String t = type instanceof JsonArray a ? a.getString(rnd.nextInt(a.size())) : (String) type;
      if (schema.containsKey("enum")) {
        JsonArray e = schema.getJsonArray("enum");
        return e.getValue(rnd.nextInt(e.size()));
      }
      if (t == null || "null".equals(t)) {
        return t == null ? hostileValue() : null;
      }
      return switch (t) {
        case "object" -> object(schema, depth);
        case "integer", "number" -> number(schema, t.equals("integer"));
        case "boolean" -> rnd.nextBoolean();
        case "array" -> new JsonArray().add(value(schema.getJsonObject("items", new JsonObject()), name, depth + 1));
        default -> string(schema, name);
      };
    }

    JsonObject object(JsonObject schema, int depth) {
      JsonObject o = new JsonObject();
      JsonObject props = schema.getJsonObject("properties", new JsonObject());
      List<String> required = schema.getJsonArray("required", new JsonArray()).getList();
      for (String p : props.fieldNames()) {
        boolean req = required.contains(p);
        if (req ? rnd.nextInt(12) != 0 : rnd.nextInt(5) < 3) { // sometimes a required field is missing
          o.put(p, value(props.getJsonObject(p), p, depth + 1));
        }
      }
      if (rnd.nextInt(10) == 0) {
        o.put(pick(List.of("extra", "role", "accountId", "__proto__", "\u0000")), hostileValue());
      }
      return o;
    }

    Object number(JsonObject s, boolean integer) {
      Number min = (Number) s.getValue("minimum");
      Number max = (Number) s.getValue("maximum");
      int roll = rnd.nextInt(6);
      if (roll == 0 && min != null) {
        return min;
      }
      if (roll == 1 && max != null) {
        return max;
      }
      if (roll == 2) {
        return pick(List.of(0, -1, Integer.MAX_VALUE, Long.MAX_VALUE, new BigInteger("99999999999999999999999"), 1e308,
            0.5, -0.0));
      }
      long lo = min == null ? 0 : min.longValue();
      long hi = max == null ? 100 : Math.min(max.longValue(), lo + 100);
      long v = lo + (long) (rnd.nextDouble() * (hi - lo + 1));
      return integer ? (Object) v : (Object) (v + (rnd.nextBoolean() ? 0.25 : 0));
    }

    String string(JsonObject s, String name) {
      String format = s.getString("format");
      Integer maxLength = s.getInteger("maxLength");
      Integer minLength = s.getInteger("minLength");
      int roll = rnd.nextInt(10);
      if (roll == 0 && maxLength != null) {
        return name.toLowerCase().contains("password") && rnd.nextBoolean() ? "ü".repeat(maxLength / 2)
            : "m".repeat(maxLength);
      }
      if (roll == 1 && maxLength != null) {
        return "m".repeat(maxLength + 1);
      }
      if (roll == 2 && minLength != null) {
        return "n".repeat(minLength);
      }
      if ("uuid".equals(format)) {
        List<String> known = w.ids.get(name);
        return known != null && rnd.nextBoolean() ? pick(known) : UUID.randomUUID().toString();
      }
      if ("date-time".equals(format)) {
        return pick(List.of(Instant.now().toString(), "2020-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
            "0001-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "+275760-09-13T00:00:00Z"));
      }
      String lower = name.toLowerCase();
      if (lower.contains("email")) {
        return rnd.nextInt(4) == 0 ? pick(List.of(w.owner.email(), w.partner.email(), w.admin.email()))
            : ApiClient.uniqueEmail("fuzz");
      }
      if (lower.contains("password")) {
        return rnd.nextInt(4) == 0 ? "ü".repeat(36 + rnd.nextInt(3)) : PASSWORD;
      }
      if (lower.equals("month")) {
        return String.format("%04d-%02d", 2000 + rnd.nextInt(60), 1 + rnd.nextInt(12));
      }
      if (lower.equals("plan")) {
        return pick(List.of("starter", "standard", "premium", "free", "gold-plated"));
      }
      if (lower.equals("token")) {
        return "t".repeat(10 + rnd.nextInt(60));
      }
      return pick(List.of("Fuzzy Name", "Ünïcødé Ltd", "名前", "مرحبا", "a", "Job " + rnd.nextInt(1000)));
    }

    Object hostileValue() {
      return switch (rnd.nextInt(6)) {
        case 0 -> rnd.nextBoolean();
        case 1 -> pick(List.of(-1, 0, 1e308, Long.MIN_VALUE, new BigInteger("123456789012345678901234567890")));
        case 2 -> null;
        case 3 -> rnd.nextBoolean() ? new JsonArray().add(hostileString()) : new JsonObject().put("a", 1);
        default -> hostileString();
      };
    }

    String hostileString() {
      return pick(List.of("", " ", "\u0000", "a\u0000b", "x".repeat(10_000), "ü".repeat(100), "😀".repeat(50),
          "\u202Eevil", "\uD800", "' OR '1'='1", "<script>alert(1)</script>", "../../etc/passwd", "%00", "null",
          "-1", "99999999999999999999", "not-a-uuid", "{{ 7*7 }}", "\r\nX-Injected: 1", "a".repeat(256) + "@x.test"));
    }

    // ---- page requests --------------------------------------------------------------------------

    void pageRequest(int i) {
      List<String> who = new ArrayList<>(w.pages.keySet());
      String caller = pick(who);
      PageClient client = w.pages.get(caller);
      List<PageForm> forms = w.forms.getOrDefault(caller, List.of());
      HttpResponse<String> r;
      String what;
      String sentBody = null;
      try {
        if (forms.isEmpty() || rnd.nextInt(8) == 0) {
          List<String> links = w.links.getOrDefault(caller, List.of("/"));
          String path = pick(links.isEmpty() ? List.of("/") : links);
          if (rnd.nextBoolean()) {
            path = mutatePath(path) + (path.contains("?") ? "&" : "?") + encode(pick(List.of("month", "before", "ref",
                "token", "x"))) + "=" + encode(hostileString());
          }
          what = "GET " + path;
          r = client.get(path);
        } else {
          PageForm form = pick(forms);
          String action = rnd.nextInt(6) == 0 ? mutatePath(form.action()) : form.action();
          Map<String, String> values = new LinkedHashMap<>();
          for (Map.Entry<String, List<String>> f : form.fields().entrySet()) {
            if (rnd.nextInt(12) == 0) {
              continue; // a missing field
            }
            values.put(f.getKey(), formValue(f.getKey(), f.getValue()));
          }
          if (rnd.nextInt(12) == 0) {
            values.put(pick(List.of("extra", "role", "enabled", "\u0000")), hostileString());
          }
          if (rnd.nextInt(25) == 0) {
            values.put(pick(new ArrayList<>(values.keySet().isEmpty() ? Set.of("x") : values.keySet())),
                "z".repeat(8 * 1024 + 1 + rnd.nextInt(20_000)));
          }
          what = "POST " + action;
          sentBody = values.toString();
          r = client.post(action, values);
        }
      } catch (RuntimeException e) {
        failures.add(describe(i, "page", caller, sentBody) + " -> no answer: " + e);
        return;
      }
      sent++;
      statuses.merge("page " + r.statusCode(), 1, Integer::sum);
      check(r, describe(i, what, caller, sentBody));
    }

    String formValue(String name, List<String> offered) {
      int roll = rnd.nextInt(10);
      if (roll < 5 && !offered.isEmpty()) {
        return pick(offered);
      }
      if (roll < 7) {
        return string(new JsonObject().put("type", "string"), name);
      }
      return hostileString();
    }

    String mutatePath(String path) {
      String[] parts = path.split("/");
      List<Integer> ids = new ArrayList<>();
      for (int k = 0; k < parts.length; k++) {
        if (parts[k].length() == 36 && parts[k].charAt(8) == '-') {
          ids.add(k);
        }
      }
      if (ids.isEmpty()) {
        return path;
      }
      parts[pick(ids)] = encode(pick(List.of("not-a-uuid", UUID.randomUUID().toString(), "\u0000", "x".repeat(300),
          "ü", "00000000-0000-0000-0000-000000000000")));
      return String.join("/", parts);
    }

    void check(HttpResponse<String> r, String what) {
      if (r.statusCode() >= 500) {
        failures.add(what + " -> " + r.statusCode() + " " + excerpt(r.body()));
      } else if (r.statusCode() == 414) {
        // the request line is refused before its path or Accept header is read: the answer cannot be
        // negotiated, so it is problem+json that says why (InputLimitsTest checks its words)
        if (!r.body().contains("URI_TOO_LONG")) {
          failures.add(what + " -> 414 without a reason: " + excerpt(r.body()));
        }
      } else if (r.statusCode() >= 400) {
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/html") || !r.body().contains("<html")) {
          failures.add(what + " -> " + r.statusCode() + " as " + type + ", not an HTML page: " + excerpt(r.body()));
        }
      }
    }

    // ---- helpers --------------------------------------------------------------------------------

    <T> T pick(List<T> list) {
      return list.get(rnd.nextInt(list.size()));
    }

    String describe(int i, String request, String caller, String body) {
      return "#" + i + " " + caller + " " + excerpt(request) + (body == null ? "" : " body " + excerpt(body));
    }
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String ascii(String s) {
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }

  static String excerpt(String s) {
    if (s == null) {
      return "";
    }
    String one = s.replace("\n", " ").replace("\u0000", "\\0");
    return one.length() > 240 ? one.substring(0, 240) + "…" : one;
  }

}
