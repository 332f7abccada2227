package com.partneraccess.bench;

import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * Benchmark (not a test): the partner's Customers page with 1,000 customers, rendered server-side.
 * Starts the whole service (as the tests do), adds 1,000 customers through the API, puts them in mixed
 * states with SQL (enabled, disabled with a pending request, expired, clock running), then requests the page
 * sequentially over HTTP with the partner's session cookie. Reports the server's own time (the
 * {@code Server-Timing: app;dur=} header: from the first page handler to the rendered body) and the
 * client-observed latency, and writes a Markdown results file. Run it with {@code bench/customers-page.sh}.
 */
public final class CustomersPageBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(CustomersPageBenchmark.class);
  static final int CUSTOMERS = 1000;
  static final int WARMUP = 200;
  static final int MEASURED = 500;

  private CustomersPageBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/results/customers-page.md");
    try (TestApp app = TestApp.start()) {
      ApiClient api = app.api();
      ApiClient.PartnerUser partner = api.signUpPartner("Bench Partners");
      for (int i = 0; i < CUSTOMERS; i++) {
        ApiClient.expect(api.post("/api/v1/partner/customers", partner.token(),
            new JsonObject().put("businessName", String.format(Locale.ROOT, "Customer %04d & Sons", i))), 201);
      }
      mixStates(app.databaseUrl);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create(app.baseUrl() + "/partner/customers"))
          .header("Cookie", "pa_session=" + partner.token()).header("Accept", "text/html").GET().build();
      int bytes = 0;
      for (int i = 0; i < WARMUP; i++) {
        bytes = check(http.send(request, HttpResponse.BodyHandlers.ofString())).body().length();
      }
      double[] server = new double[MEASURED];
      double[] client = new double[MEASURED];
      for (int i = 0; i < MEASURED; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = check(http.send(request, HttpResponse.BodyHandlers.ofString()));
        client[i] = (System.nanoTime() - t0) / 1_000_000.0;
        server[i] = Double.parseDouble(r.headers().firstValue("Server-Timing").orElseThrow()
            .replaceAll(".*dur=([0-9.]+).*", "$1"));
      }
      String report = report(server, client, bytes);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
      LOG.info("Customers page benchmark written to {}\n{}", out, report);
    }
  }

  private static HttpResponse<String> check(HttpResponse<String> r) {
    if (r.statusCode() != 200 || !r.body().contains("Customer 0999")) {
      throw new IllegalStateException("unexpected page: " + r.statusCode());
    }
    return r;
  }

  /** A realistic mix: a third disabled with a pending request, a tenth expired, a third with the clock running. */
  private static void mixStates(String databaseUrl) throws Exception {
    DatabaseUrl url = DatabaseUrl.parse(databaseUrl);
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         Statement s = c.createStatement()) {
      s.execute("""
          WITH numbered AS (SELECT id, account_id, partner_id, row_number() OVER (ORDER BY id) AS n FROM connections)
          UPDATE connections c SET access = CASE WHEN n % 3 = 0 THEN 'disabled' WHEN n % 10 = 1 THEN 'expired'
                                                 ELSE 'enabled' END
            FROM numbered WHERE numbered.id = c.id""");
      s.execute("""
          INSERT INTO access_requests (id, connection_id, account_id, partner_id, status, created_at)
          SELECT gen_random_uuid(), id, account_id, partner_id, 'pending', now() FROM connections WHERE access = 'disabled'""");
      s.execute("UPDATE accounts SET job_count = 120, hundredth_job_at = now() WHERE random() < 0.33");
      s.execute("""
          UPDATE connections c SET expires_at = a.hundredth_job_at + interval '60 days'
            FROM accounts a WHERE a.id = c.account_id AND a.hundredth_job_at IS NOT NULL""");
    }
  }

  private static String report(double[] server, double[] client, int bytes) {
    Arrays.sort(server);
    Arrays.sort(client);
    Runtime rt = Runtime.getRuntime();
    return String.format(Locale.ROOT, """
        # Customers page benchmark

        The partner's Customers page with %d customers (mixed states: enabled, disabled with a pending
        request, expired, expiry clock running or not), server-rendered with Pebble. %d warm-up requests,
        then %d sequential requests over HTTP on localhost with the partner's session cookie.
        Re-run: `bench/customers-page.sh` (writes this file).

        | measure | p50 | p95 | p99 | max |
        | --- | ---: | ---: | ---: | ---: |
        | server (Server-Timing: session check, SQL, template, ms) | %.1f | %.1f | %.1f | %.1f |
        | client-observed latency (ms) | %.1f | %.1f | %.1f | %.1f |

        Page size: %d KB of HTML. Target: under 50 ms server-side.

        Machine: %s, %d CPUs available to the JVM, Java %s, %s. Run at %s (the service shares the
        machine with the benchmark client and the embedded PostgreSQL; load average after the run: %s).
        """,
        CUSTOMERS, WARMUP, MEASURED,
        pct(server, 50), pct(server, 95), pct(server, 99), server[server.length - 1],
        pct(client, 50), pct(client, 95), pct(client, 99), client[client.length - 1],
        bytes / 1024, cpuModel(), rt.availableProcessors(), System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"), Instant.now().toString().substring(0, 16) + "Z",
        loadAverage());
  }

  private static double pct(double[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
    } catch (java.io.IOException e) {
      return "unknown CPU";
    }
  }
}
