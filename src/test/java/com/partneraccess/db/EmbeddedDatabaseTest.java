package com.partneraccess.db;

import com.partneraccess.support.ChildJvm;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The service's own embedded PostgreSQL: durable, and never blocked by a server a killed JVM left behind. */
@DisplayName("Embedded PostgreSQL")
class EmbeddedDatabaseTest {

  @Test
  @DisplayName("The service's data is written durably: fsync and synchronous_commit on; throwaway test data stays fast")
  void durable(@TempDir Path kept, @TempDir Path throwaway) throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(kept, 0, true)) {
      assertThat(show(db, "synchronous_commit")).isEqualTo("on");
      assertThat(show(db, "fsync")).isEqualTo("on");
    }
    try (EmbeddedDatabase db = EmbeddedDatabase.start(throwaway, 0, false)) {
      assertThat(show(db, "synchronous_commit")).isEqualTo("off");
    }
  }

  @Test
  @DisplayName("A postmaster orphaned by a JVM killed with SIGKILL is stopped and the next start succeeds at once")
  void orphanOfAKilledJvm(@TempDir Path dataDir, @TempDir Path workDir) throws Exception {
    long orphanPid;
    try (ChildJvm child = ChildJvm.start(workDir, Map.of(), "com.partneraccess.support.EmbeddedPostgresChild",
        dataDir.toString())) {
      String ready = child.awaitLine("READY ", Duration.ofSeconds(90));
      orphanPid = Long.parseLong(ready.split(" ")[1]);
      child.kill();
    }
    assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive)).as("the postmaster outlives its JVM")
        .contains(true);

    long started = System.nanoTime();
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, 0, true)) {
      long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
      assertThat(seconds).as("start-up time with an orphan").isLessThan(15);
      assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(db.pid()).isNotEqualTo(orphanPid);
      assertThat(show(db, "server_version")).isNotBlank();
    }
  }

  @Test
  @DisplayName("A postmaster killed with SIGKILL loses no committed row: restarted on the same folder, all are there")
  void killedPostmasterLosesNoCommit(@TempDir Path dataDir) throws Exception {
    EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, 0, true);
    long pid = db.pid();
    int rows = 300;
    try (Connection c = connect(db); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE answered (id int PRIMARY KEY)");
      for (int i = 0; i < rows; i++) {
        s.execute("INSERT INTO answered VALUES (" + i + ")"); // each one committed and answered on its own
      }
    }
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
    postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
    postmaster.destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> !db.isRunning());

    try (EmbeddedDatabase again = db.restart(); Connection c = connect(again); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM answered")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(rows);
    }
  }

  private static Connection connect(EmbeddedDatabase db) throws Exception {
    DatabaseUrl url = DatabaseUrl.parse(db.url(EmbeddedDatabase.DATABASE));
    return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
  }

  private static String show(EmbeddedDatabase db, String setting) throws Exception {
    try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
