package com.partneraccess.support;

import com.partneraccess.config.AppConfig;
import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.db.EmbeddedDatabase;
import com.partneraccess.db.Migrations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL per test JVM (embedded, or the server in TEST_DATABASE_URL), and a fresh database per
 * test class copied from a migrated template, so classes never see each other's rows.
 */
public final class TestDatabase {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedDatabase embedded;

  private TestDatabase() {}

  /** A new, migrated, empty database; returns its URL. */
  public static synchronized String newDatabase() {
    try {
      if (embedded == null) {
        Path dir = Files.createTempDirectory("pa-test-pg");
        embedded = EmbeddedDatabase.start(dir, 0, false);
        embedded.createDatabase("template_app");
        Migrations.migrate(DatabaseUrl.parse(embedded.url("template_app")), defaultPolicy());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            embedded.close();
          } catch (Exception ignored) {
            // the JVM is ending
          }
        }));
      }
      String name = "test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
      embedded.createDatabase(name, "template_app");
      return embedded.url(name);
    } catch (Exception e) {
      throw new IllegalStateException("could not start the test database", e);
    }
  }

  static AppConfig.Policy defaultPolicy() {
    return new AppConfig.Policy(60, 100, Instant.parse("2020-07-01T00:00:00Z"), 14);
  }
}
