package com.partneraccess.bench;

import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.expiry.ExpiryClient;
import com.partneraccess.expiry.ExpiryVerticle;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

/**
 * The database CPU one expired connection costs (issue 10, goal 4), measured after the benchmark's sweep with the hot
 * path stopped: {@code n} more connections are made due (their last access 61 days back; V008's trigger derives the
 * expiry), then one sweep runs alone after a CHECKPOINT (its writes pay their first full-page images, as a real
 * sweep's do) and the CPU time of every process of the embedded PostgreSQL (the postmaster's children, and the ones
 * that ended, counted in the postmaster's cutime/cstime) is read from {@code /proc} before and after. The service's
 * own CPU (the JVM) is reported beside it. Linux only; on another OS the figures are NaN.
 */
final class SweepCpu {
  /** The clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux). */
  private static final double HZ = 100.0;

  record Result(int expired, double seconds, double dbCpuSeconds, double jvmCpuSeconds) {
    double dbMillisPerConnection() {
      return expired == 0 ? Double.NaN : dbCpuSeconds * 1000 / expired;
    }

    double jvmMillisPerConnection() {
      return expired == 0 ? Double.NaN : jvmCpuSeconds * 1000 / expired;
    }
  }

  private SweepCpu() {}

  static Result measure(Vertx vertx, String databaseUrl, Instant now, int n) throws Exception {
    DatabaseUrl url = DatabaseUrl.parse(databaseUrl);
    long postmaster;
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         Statement s = c.createStatement()) {
      s.execute("SET statement_timeout = 0");
      s.execute("""
          UPDATE connections SET last_accessed_at = '%1$s'::timestamptz - interval '61 days'
           WHERE id IN (SELECT id FROM connections WHERE access = 'enabled' AND disconnected_at IS NULL
                         ORDER BY id LIMIT %2$d)""".formatted(now, n));
      s.execute("VACUUM ANALYZE connections");
      s.execute("CHECKPOINT");
      try (var r = s.executeQuery("SELECT pg_backend_pid()")) {
        r.next();
        postmaster = ProcessHandle.of(r.getLong(1)).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
      }
    }
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    double db0 = clusterCpuSeconds(postmaster);
    long jvm0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    ExpiryVerticle.Sweep sweep = new ExpiryClient(vertx).sweepNow(Duration.ofMinutes(30).toMillis()).await();
    double seconds = (System.nanoTime() - t0) / 1e9;
    double db = clusterCpuSeconds(postmaster) - db0;
    double jvm = (os.getProcessCpuTime() - jvm0) / 1e9;
    return new Result(sweep.expired(), seconds, db, jvm);
  }

  /** utime + stime of the postmaster's children and cutime + cstime + utime + stime of the postmaster (s). */
  static double clusterCpuSeconds(long postmaster) {
    if (postmaster <= 0) {
      return Double.NaN;
    }
    long[] total = {ticks(postmaster, true)};
    ProcessHandle.of(postmaster).ifPresent(p -> p.children().forEach(ch -> total[0] += ticks(ch.pid(), false)));
    return total[0] / HZ;
  }

  private static long ticks(long pid, boolean withChildren) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // fields after the command name (which may hold spaces) in parentheses: state is field 3, utime 14, stime 15,
      // cutime 16, cstime 17
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return withChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
    } catch (IOException | RuntimeException e) {
      return 0; // a process that ended between the listing and the read (its time is in the postmaster's cutime)
    }
  }
}
