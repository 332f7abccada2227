package com.partneraccess.bench;

import com.partneraccess.banner.BannerStore;
import com.partneraccess.banner.WebSocketHandler;
import com.partneraccess.bus.Addresses;
import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javax.management.ObjectName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * Benchmark (not a test): WebSocket fan-out on one instance. Starts the whole service in this JVM (as the tests
 * do; two HTTP verticles), signs up a partner and a connected customer, then for each socket count N given as an
 * argument: starts {@link WebSocketFanoutClient} in its own JVM, which opens N sockets as the partner's portal (all
 * on {@code live.partner.<id>}); measures the server's heap per socket (used heap after GC with the N sockets open,
 * minus before, divided by N, and the classes that grew); has the client run the rounds (the owner disables, then
 * enables, the partner's access through the API: each commit raises a partner banner); then has the client close
 * every socket and times, on the server, how long until no socket and no consumer of the address is left.
 * <p>The commit: this JVM LISTENs on the banners' channel with a connection of its own (on a Vert.x instance of its
 * own, so the service's busy event loops do not delay it); PostgreSQL delivers a NOTIFY to its listeners when the
 * transaction commits, so the moment it arrives (wall clock, µs) is the commit as any listener can know it, the
 * service's own included. Each socket's delay from commit is its arrival (the client's wall clock: same machine)
 * minus that moment; the delay from just before the owner's API request is reported too.
 * Writes a Markdown results file. Run it with {@code bench/websocket-fanout.sh}.
 * System properties: {@code bench.rounds} (10, the first {@code bench.warmup} (2) not counted), {@code bench.jfr}
 * (true: a JFR profile of this JVM during the rounds of the largest N, summarised in the results),
 * {@code bench.clientLoops} (the client's event loops, 1).
 */
public final class WebSocketFanoutBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketFanoutBenchmark.class);
  static final int ROUNDS = Integer.getInteger("bench.rounds", 10);
  static final int WARMUP = Integer.getInteger("bench.warmup", 2);
  static final boolean JFR = Boolean.getBoolean("bench.jfr");
  /** Said under the delays: where this run's figures stand (e.g. a small run on a busy machine); empty by default. */
  static final String SCALE_NOTE = System.getProperty("bench.note", "");

  /** What one socket count measured (delays in ms). */
  record Result(int sockets, double openSeconds, double heapKbPerSocket, Stats fromCommit, Stats fromRequest,
                long missed, int consumersWhileOpen, double closeMillis, double medianAnswerMs,
                double medianCommitMs, double medianFirstMs, double medianSpreadMs, String heapByClass,
                double releaseMillis, String profile, double idleAnswerMs, double medianServerFirstMs,
                double medianServerSpreadMs, double cpuMicrosPerWrite) {}

  /** Pooled delays of every socket of every counted round: p50, p99, max, and the median of the rounds' p99. */
  record Stats(double p50, double p99, double max, double medianRoundP99) {}

  /** A banner's NOTIFY as this JVM's listener received it: its kind, and when (epoch µs). */
  record Commit(String kind, long atMicros) {}

  private WebSocketFanoutBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/results/websocket-fanout.md");
    List<Integer> sizes = args.length > 1
        ? Arrays.stream(args).skip(1).map(Integer::parseInt).toList() : List.of(1_000);
    // the benchmark measures fan-out, not the per-user cap (10): one partner user holds every socket
    JsonObject overrides = new JsonObject()
        .put("limits", new JsonObject().put("socketsPerUser", 1_000_000))
        .put("http", new JsonObject().put("maxConnections", 100_000));
    List<Result> results = new ArrayList<>();
    Vertx listenerVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    WebSocketHandler.recordFanOutTimes(true);
    try (TestApp app = TestApp.start(overrides)) {
      ApiClient api = app.api();
      ApiClient.PartnerUser partner = api.signUpPartner("Fan-out Bench Partners");
      ApiClient.Customer customer = api.signUpCustomer("Fan-out Bench Bakery", null);
      api.connectByInvite(partner, customer);
      String address = Addresses.livePartner(UUID.fromString(partner.partnerId()));
      BlockingQueue<Commit> commits = listen(listenerVertx, app.databaseUrl, partner.partnerId());
      int largest = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
      for (int n : sizes) {
        results.add(measure(app, partner, customer, address, n, commits, JFR && n == largest));
        LOG.info("{}", results.get(results.size() - 1));
      }
    } finally {
      listenerVertx.close().await();
    }
    String report = report(results, sizes);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report);
    LOG.info("WebSocket fan-out benchmark written to {}\n{}", out, report);
  }

  /** LISTENs on the banners' channel: each of the partner's access banners, with the moment its NOTIFY arrived. */
  private static BlockingQueue<Commit> listen(Vertx vertx, String databaseUrl, String partnerId) throws Exception {
    BlockingQueue<Commit> commits = new LinkedBlockingQueue<>();
    PgSubscriber subscriber = PgSubscriber.subscriber(vertx, DatabaseUrl.parse(databaseUrl).connectOptions());
    io.vertx.core.Promise<Void> listening = io.vertx.core.Promise.promise();
    subscriber.channel(BannerStore.CHANNEL)
        .subscribeHandler(v -> listening.tryComplete())
        .handler(payload -> {
          long at = epochMicros(Instant.now());
          JsonObject banner = new JsonObject(payload);
          if (partnerId.equals(banner.getString("partnerId")) && banner.getString("kind", "").startsWith("access_")) {
            commits.add(new Commit(banner.getString("kind"), at));
          }
        });
    subscriber.connect().compose(v -> listening.future()).await(30, TimeUnit.SECONDS);
    return commits;
  }

  static long epochMicros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
  }

  private static Result measure(TestApp app, ApiClient.PartnerUser partner, ApiClient.Customer customer, String address,
                                int n, BlockingQueue<Commit> commits, boolean profile) throws Exception {
    double idleAnswerMs = idleAnswerMillis(app, customer, partner, commits);
    Map<String, long[]> histogramBefore = classHistogram();
    long heapBefore = usedHeapAfterGc();
    Process client = new ProcessBuilder(javaBin(), "-Xmx2g", "-XX:+UseSerialGC", "-cp", classpath(),
        "-Dlogback.configurationFile=logback-test.xml", "-Dbench.clientLoops=" + WebSocketFanoutClient.LOOPS,
        WebSocketFanoutClient.class.getName(),
        String.valueOf(app.port), partner.token(), customer.token(), partner.partnerId(), String.valueOf(n),
        String.valueOf(ROUNDS + WARMUP))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader from = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
         PrintWriter to = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8)) {
      String[] opened = awaitLine(from, "OPENED").split(" ");
      if (Integer.parseInt(opened[1]) != n) {
        throw new IllegalStateException("the client opened " + opened[1] + " of " + n + " sockets");
      }
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
          .until(() -> WebSocketHandler.openSockets(app.vertx) >= n);
      long heapWith = usedHeapAfterGc();
      String heapByClass = heapByClass(histogramBefore, classHistogram(), n);
      int consumers = WebSocketHandler.liveConsumers(app.vertx, address);
      commits.clear();
      Recording recording = profile ? startRecording() : null;
      long cpuBefore = eventLoopCpuNanos();
      to.println("GO");
      List<Long> allFromCommit = new ArrayList<>();
      List<Long> allFromRequest = new ArrayList<>();
      List<Double> roundP99 = new ArrayList<>();
      List<Double> roundP99FromRequest = new ArrayList<>();
      List<Double> answers = new ArrayList<>();
      List<Double> toCommit = new ArrayList<>();
      List<Double> firsts = new ArrayList<>();
      List<Double> spreads = new ArrayList<>();
      List<Double> serverFirst = new ArrayList<>();
      List<Double> serverSpread = new ArrayList<>();
      long missed = 0;
      for (int r = 0; r < ROUNDS + WARMUP; r++) {
        String[] round = awaitLine(from, "ROUND").split(" ");
        String kind = round[2];
        long requestAt = Long.parseLong(round[3]);
        Commit commit = commitOf(commits, kind);
        long committedAfter = commit.atMicros() - requestAt;
        long[] written = serverWrites(app, address, kind);
        to.println("NEXT");
        long[] fromRequest = Arrays.stream(round[5].split(",")).mapToLong(Long::parseLong).toArray();
        if (r < WARMUP) {
          continue;
        }
        missed += Arrays.stream(fromRequest).filter(d -> d < 0).count();
        long[] got = Arrays.stream(fromRequest).filter(d -> d >= 0).sorted().toArray();
        long[] gotFromCommit = Arrays.stream(got).map(d -> d - committedAfter).toArray();
        roundP99.add(pct(gotFromCommit, 99) / 1000.0);
        roundP99FromRequest.add(pct(got, 99) / 1000.0);
        answers.add(Long.parseLong(round[4]) / 1000.0);
        toCommit.add(committedAfter / 1000.0);
        if (written != null) {
          serverFirst.add((written[0] - commit.atMicros()) / 1000.0);
          serverSpread.add((written[1] - written[0]) / 1000.0);
        }
        if (got.length > 0) {
          firsts.add(gotFromCommit[0] / 1000.0);
          spreads.add((got[got.length - 1] - got[0]) / 1000.0);
        }
        for (int i = 0; i < got.length; i++) {
          allFromRequest.add(got[i]);
          allFromCommit.add(gotFromCommit[i]);
        }
      }
      awaitLine(from, "DONE");
      // every round writes three events to each socket (the banner, access_changed, the notification)
      double cpuMicrosPerWrite = (eventLoopCpuNanos() - cpuBefore) / 1000.0 / (3.0 * n * (ROUNDS + WARMUP));
      String profileSummary = recording == null ? null : summarise(recording, n);
      long closeStart = System.nanoTime();
      AtomicLong firstReleased = new AtomicLong();
      to.println("CLOSE");
      await().atMost(Duration.ofSeconds(120)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
          .until(() -> {
            int open = WebSocketHandler.openSockets(app.vertx);
            if (open < n) {
              firstReleased.compareAndSet(0, System.nanoTime());
            }
            return open == 0 && WebSocketHandler.liveConsumers(app.vertx, address) == 0;
          });
      long closed = System.nanoTime();
      double closeMillis = (closed - closeStart) / 1e6;
      double releaseMillis = (closed - (firstReleased.get() == 0 ? closeStart : firstReleased.get())) / 1e6;
      awaitLine(from, "CLOSED");
      return new Result(n, Double.parseDouble(opened[2]), (heapWith - heapBefore) / 1024.0 / n,
          stats(allFromCommit, roundP99), stats(allFromRequest, roundP99FromRequest), missed, consumers, closeMillis,
          median(answers), median(toCommit), median(firsts), median(spreads), heapByClass, releaseMillis,
          profileSummary, idleAnswerMs, median(serverFirst), median(serverSpread), cpuMicrosPerWrite);
    } finally {
      if (!client.waitFor(60, TimeUnit.SECONDS)) {
        client.destroyForcibly();
      }
    }
  }

  /**
   * The owner's same API request with no socket open (disable, enable, three times; from this JVM): the median of its
   * time, to tell what the sockets add to it from what the machine costs.
   */
  private static double idleAnswerMillis(TestApp app, ApiClient.Customer customer, ApiClient.PartnerUser partner,
                                         BlockingQueue<Commit> commits) {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      long t0 = System.nanoTime();
      ApiClient.expect(app.api().setAccess(customer, partner.partnerId(), i % 2 == 1), 200);
      times.add((System.nanoTime() - t0) / 1e6);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> commits.size() >= 6);
    commits.clear();
    return median(times);
  }

  /**
   * The server's side of a round: when its event loops began writing this round's banner and when they finished
   * (epoch µs), as the hub recorded it; null if not within 5 s.
   */
  private static long[] serverWrites(TestApp app, String address, String kind) {
    long[][] got = new long[1][];
    try {
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
          .until(() -> (got[0] = WebSocketHandler.takeFanOutTimes(app.vertx, address, "banner:" + kind)) != null);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      return null;
    }
    return got[0];
  }

  /** The commit of this round's banner (its NOTIFY reached this JVM before any socket had it): within 60 s. */
  private static Commit commitOf(BlockingQueue<Commit> commits, String kind) throws InterruptedException {
    while (true) {
      Commit c = commits.poll(60, TimeUnit.SECONDS);
      if (c == null) {
        throw new IllegalStateException("no " + kind + " banner was committed within 60 s");
      }
      if (c.kind().equals(kind)) {
        return c;
      }
    }
  }

  private static Stats stats(List<Long> delaysMicros, List<Double> roundP99) {
    long[] sorted = delaysMicros.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Stats(pct(sorted, 50) / 1000.0, pct(sorted, 99) / 1000.0,
        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1000.0, median(roundP99));
  }

  private static Recording startRecording() throws Exception {
    Recording recording = new Recording(jdk.jfr.Configuration.getConfiguration("profile"));
    // "profile" samples Java every 10 ms: a fan-out of a few hundred milliseconds would get a few dozen samples
    recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(2));
    recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(5));
    recording.setToDisk(true);
    recording.start();
    return recording;
  }

  /**
   * Where this JVM's CPU went during the rounds (JFR execution samples): the top frames, and the threads, by share
   * of samples. The recording is kept under target/.
   */
  private static String summarise(Recording recording, int n) throws Exception {
    recording.stop();
    Path file = Path.of("target", "websocket-fanout-" + n + ".jfr");
    recording.dump(file);
    recording.close();
    Map<String, Integer> byFrame = new HashMap<>();
    Map<String, Integer> byThread = new HashMap<>();
    int total = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null
          || e.getStackTrace().getFrames().isEmpty()) {
        continue;
      }
      total++;
      RecordedFrame top = e.getStackTrace().getFrames().get(0);
      byFrame.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
      String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
      byThread.merge(thread == null ? "?" : thread.replaceAll("\\d+$", "N"), 1, Integer::sum);
    }
    int samples = Math.max(1, total);
    String frames = byFrame.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(15).map(x -> String.format(Locale.ROOT, "| `%s` | %.1f %% |", x.getKey(), 100.0 * x.getValue() / samples))
        .collect(Collectors.joining("\n"));
    String threads = byThread.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(6).map(x -> String.format(Locale.ROOT, "%s %.0f %%", x.getKey(), 100.0 * x.getValue() / samples))
        .collect(Collectors.joining(", "));
    return String.format(Locale.ROOT, """
        JFR profile of the server's JVM during the rounds at %,d sockets (%d execution samples, `%s`): threads %s.

        | top frame | share of samples |
        | --- | ---: |
        %s
        """, n, total, file, threads, frames);
  }

  /** The JVM's live objects by class (the GC.class_histogram diagnostic command, after a full GC): instances, bytes. */
  private static Map<String, long[]> classHistogram() throws Exception {
    String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    Map<String, long[]> byClass = new HashMap<>();
    Matcher m = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)").matcher(text);
    while (m.find()) {
      byClass.put(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
    }
    return byClass;
  }

  /** The classes that grew most with the N sockets open: bytes and instances per socket. */
  private static String heapByClass(Map<String, long[]> before, Map<String, long[]> after, int n) {
    record Growth(String name, double bytes, double instances) {}
    return after.entrySet().stream()
        .map(e -> {
          long[] b = before.getOrDefault(e.getKey(), new long[2]);
          return new Growth(e.getKey(), (e.getValue()[1] - b[1]) / (double) n, (e.getValue()[0] - b[0]) / (double) n);
        })
        .sorted(Comparator.comparingDouble(Growth::bytes).reversed()).limit(20)
        .map(g -> String.format(Locale.ROOT, "| `%s` | %.0f | %.2f |", g.name(), g.bytes(), g.instances()))
        .collect(Collectors.joining("\n"));
  }

  private static String awaitLine(BufferedReader from, String word) throws Exception {
    String line;
    while ((line = from.readLine()) != null) {
      if (line.startsWith(word)) {
        return line;
      }
    }
    throw new IllegalStateException("the client ended before " + word);
  }

  /**
   * CPU time (user and system) of this JVM's event-loop threads so far: the service's, which write the sockets (and
   * answer the API, run the R28 query, …), and the commit listener's. Unlike the delays it hardly depends on what else
   * runs on the machine.
   */
  private static long eventLoopCpuNanos() {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null && t.getThreadName().startsWith("vert.x-eventloop-thread")) {
        sum += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
      }
    }
    return sum;
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** This JVM's classpath, also under exec:java (whose class loader holds the project's classes and dependencies). */
  private static String classpath() {
    ClassLoader loader = WebSocketFanoutBenchmark.class.getClassLoader();
    if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
      return Arrays.stream(urls.getURLs()).map(WebSocketFanoutBenchmark::file).collect(Collectors.joining(File.pathSeparator));
    }
    return System.getProperty("java.class.path");
  }

  private static String file(URL url) {
    try {
      return new File(url.toURI()).getPath();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static String report(List<Result> results, List<Integer> sizes) {
    StringBuilder rows = new StringBuilder();
    for (Result r : results) {
      Stats c = r.fromCommit();
      Stats q = r.fromRequest();
      rows.append(String.format(Locale.ROOT,
          "| %,d | %.1f | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %.1f | %.0f | %.0f | %.1f | %.1f |%n",
          r.sockets(), r.openSeconds(), r.consumersWhileOpen(), r.idleAnswerMs(), r.medianCommitMs(), r.medianAnswerMs(),
          r.medianFirstMs(), r.medianSpreadMs(), r.medianServerFirstMs(), r.medianServerSpreadMs(), c.p50(), c.p99(), c.medianRoundP99(), c.max(), q.p99(), q.max(),
          r.missed(), r.heapKbPerSocket(), r.closeMillis(), r.releaseMillis(), r.releaseMillis() * 1000 / r.sockets(),
          r.cpuMicrosPerWrite()));
    }
    StringBuilder goals = new StringBuilder();
    for (Result r : results) {
      Double p99Goal = r.sockets() >= 19_000 ? Double.valueOf(250) : r.sockets() >= 10_000 ? Double.valueOf(100) : null;
      double p99 = r.fromCommit().p99();
      goals.append(String.format(Locale.ROOT, "- %,d sockets: p99 from commit %.1f ms%s (from the request: %.1f ms); "
              + "heap %.1f KB per socket (goal ≤ 16 KB: %s); %d consumer(s) for all of them (goal: at most one per event "
              + "loop, 2: %s).%n",
          r.sockets(), p99, p99Goal == null ? " (no goal at this size; goals at 10,000 and 19,000)"
              : String.format(Locale.ROOT, " (goal ≤ %.0f ms: %s)", p99Goal, p99 <= p99Goal ? "met" : "missed"),
          r.fromRequest().p99(), r.heapKbPerSocket(), r.heapKbPerSocket() <= 16 ? "met" : "missed",
          r.consumersWhileOpen(), r.consumersWhileOpen() <= 2 ? "met" : "missed"));
    }
    for (int i = 0; i < results.size(); i++) {
      for (int j = 0; j < results.size(); j++) {
        Result a = results.get(i);
        Result b = results.get(j);
        if (b.sockets() >= 1.8 * a.sockets() && b.sockets() <= 2.2 * a.sockets()) {
          double ratio = b.releaseMillis() / a.releaseMillis();
          goals.append(String.format(Locale.ROOT, "- Closing (server, first to last release): %,d sockets in %.0f ms, %,d "
                  + "in %.0f ms: %.2fx for %.2fx the sockets (O(N) expects about %.1fx, O(N²) about %.1fx): %s.%n",
              a.sockets(), a.releaseMillis(), b.sockets(), b.releaseMillis(), ratio, (double) b.sockets() / a.sockets(),
              (double) b.sockets() / a.sockets(), Math.pow((double) b.sockets() / a.sockets(), 2),
              ratio <= 1.5 * b.sockets() / a.sockets() ? "met" : "missed"));
        }
      }
    }
    Result last = results.isEmpty() ? null : results.get(results.size() - 1);
    String profile = results.stream().map(Result::profile).filter(java.util.Objects::nonNull).findFirst()
        .orElse("No JFR profile in this run (`-Dbench.jfr=true`, BENCH_JFR=1 for the script, records one).\n");
    Runtime rt = Runtime.getRuntime();
    return String.format(Locale.ROOT, """
        # WebSocket fan-out benchmark

        One instance of the service (two HTTP verticles, so two event loops hold the sockets) with an embedded
        PostgreSQL; a client in its own JVM (one Vert.x instance, %d event loop(s), a raw frame handler per socket that
        only looks for the awaited banner's bytes: no String, no JSON) opens N WebSockets as one partner user's portal
        pages (all on `live.partner.<id>`; `limits.socketsPerUser` raised for the run). Per round the owner disables,
        then enables, the partner's access through the API (`PUT /api/v1/account/partners/{id}/access`): the commit
        NOTIFYs, the banner verticle publishes the `access_disabled` / `access_enabled` banner on the bus, each HTTP
        event loop writes it to its sockets (the event encoded once per event loop as one whole WebSocket frame, each
        socket's write a view of it straight onto its channel, `banner/LiveWire`; at most %d sockets per turn of the loop).

        **From commit**: the benchmark's JVM LISTENs on the banners' channel itself (its own connection and Vert.x
        instance); PostgreSQL delivers a NOTIFY when the transaction commits, so its arrival is the commit as any
        listener (the service's own included) can know it. Delay per socket = the banner's arrival in the client minus
        that moment (both wall clock in µs, same machine). **From the request**: from just before the owner's API
        request (the old measure: it adds the request's own time up to the commit). %d rounds after %d warm-up rounds,
        all sockets' delays pooled (p50, p99, max) and the median of the rounds' p99. Heap: used heap after GC (in the
        server's JVM, the benchmark's own) with the N sockets open, minus before, divided by N. Close all: from telling
        the client to close its N sockets to the server holding no socket and no consumer; the server's part: from its
        first socket released to its last. Re-run: `bench/websocket-fanout.sh %s` (writes this file).

        | sockets | open (s) | bus consumers | API answer, no socket open (ms) | request to commit (ms) | API answer (ms) | commit to first arrival (ms) | first to last (ms) | server: commit to first write (ms) | server: first to last write (ms) | p50 from commit (ms) | **p99 from commit (ms)** | median round p99 from commit (ms) | max from commit (ms) | p99 from request (ms) | max from request (ms) | missed | heap per socket (KB) | close all (ms) | server: first to last release (ms) | per socket (µs) | server event-loop CPU per socket and event (µs) |
        | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
        %s

        API answer with no socket open: the same request, six times before the client connects (median). Request to
        commit, API answer, commit to first arrival, first to last: medians over the rounds (the fan-out itself is
        "first to last"). Server: when this process's event loops began writing the round's banner (after the R28
        query) and finished, as the hub records it (diagnostics the benchmark turns on), against the same clock: what
        the client's "first to last" adds to "server: first to last write" is the client's reading (and the kernel).
        Server event-loop CPU: the CPU time (user and system) of this JVM's event loops over all the rounds, divided by
        the writes (three events per socket per round): the server's cost of a socket's write, which unlike the delays
        hardly depends on what else the machine runs. Goals (issue 10, goal 3): p99 from commit ≤ 100 ms at 10,000 sockets and ≤ 250 ms
        at 19,000; heap ≤ 16 KB per socket; one consumer per address per event loop; closing N sockets in O(N).

        %s

        Where the heap per socket goes, at %,d sockets (classes that grew most, per socket; live objects after GC):

        | class | bytes per socket | instances per socket |
        | --- | ---: | ---: |
        %s

        Reading the heap table: what the service owns per socket is small — the `LiveSocket` (token key, user id; the
        address string is the hub's, one per address), its entries in the hub's two hash sets, four handler lambdas:
        under half a kilobyte. Two Vert.x options cut the library's part: strict thread mode (`HttpServerOptions
        .setStrictThreadMode`: every response is written on its event loop, which the service does) spares the HTTP/1.1
        connection its multi-producer write queue, which an upgraded connection keeps for as long as its WebSocket is
        open (a jctools `MpscUnboundedArrayQueue`, 576 B, plus its first 1,024-slot chunk, 4.1 KB: one of the two such
        queues per socket before); no WebSocket compression (a browser offers `permessage-deflate`: a deflater per
        socket). And the socket clears the upgrade request's headers once open (the WebSocket keeps them for its whole
        life; the token is among them: about 1 KB). What remains is Vert.x 5.0.10's and Netty's: the WebSocket
        connection's own write queue (`WebSocketConnectionImpl` always builds the multi-producer one: the
        `[Ljava.lang.Object;` and `MpscUnboundedArrayQueue` rows, about 4.9 KB), the upgraded `Http1xServerConnection`
        with its request, response and the 101's headers (still reachable from the channel), the channel, its six
        pipeline contexts and `IdleStateHandler`, and a few promises.

        Delays: "request to commit" is the owner's request up to its commit (database round trips: the same request with
        no socket open is the column before it); "commit to first arrival" is the NOTIFY reaching the banner verticle,
        the bus, the R28 query of who may see the event (one per event per event loop) and the first write; "first to
        last" is the writing itself, at most %d sockets per turn of each event loop so that the loop answers requests
        between turns (before: all of them in one go, with the owner's answer waiting behind). Each commit raises three
        live events for the partner's sockets (the banner, `access_changed` and the notification): the client waits for
        the banner and `access_changed` on every socket before the next round, so a round does not measure the tail of
        the previous one (the earlier client started the next request as soon as the banners were in, while the server
        was still writing the access changes). %s

        Writing (issue 10, goal 3, step 1): a JFR profile of the fan-out at 10,000 sockets had the event loops' Java time
        in Vert.x's per-socket write path — `ServerWebSocket.writeFrame` (synchronized, a promise and its listener), the
        connection's multi-producer message queue, Netty's WebSocket encoder allocating a buffer and copying the payload
        into it, the heap-to-direct copy — with the `write(2)` of each socket on top. `banner/LiveWire` now builds each
        event once per event loop as a whole frame (header and payload) in direct memory and writes a duplicate of it
        (a view: no copy, no encoding) to each socket's Netty channel with a void promise, through the whole pipeline
        (so after anything Vert.x wrote, and the idle timer still sees it); a socket whose channel is not writable goes
        through Vert.x as before (its queue, then closed once full). What is left per socket is the pipeline's
        pass-through and one `write(2)` — on loopback the kernel also does the receiver's TCP work inside it — so the
        sender's cost is now mostly the kernel's, and the client reading N sockets on the same cores is the other half.

        %s
        Machine: %s, %d CPUs available to the JVM, Java %s, %s. Run at %s, load average after the run: %s. The client,
        the service and PostgreSQL share these cores (and, unless the machine was quiet, other people's builds):
        figures are pessimistic.
        """,
        WebSocketFanoutClient.LOOPS, WebSocketHandler.writesPerTurn(), ROUNDS, WARMUP,
        sizes.stream().map(String::valueOf).collect(Collectors.joining(" ")), rows.toString().strip(),
        goals.toString().strip(), last == null ? 0 : last.sockets(), last == null ? "" : last.heapByClass(),
        WebSocketHandler.writesPerTurn(), SCALE_NOTE, profile,
        BenchMachine.cpuModel(), rt.availableProcessors(), System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        Instant.now().toString().substring(0, 16) + "Z", BenchMachine.loadAverage());
  }
}
