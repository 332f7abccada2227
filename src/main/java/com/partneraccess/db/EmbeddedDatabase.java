package com.partneraccess.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL started from a Maven artifact, for development and tests when no DATABASE_URL is
 * configured. Its data directory is kept between runs. Blocking: call it off the event loop.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  public static final String DATABASE = "partneraccess";

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts (or restarts on existing data) a server under {@code dataDir}/postgres on {@code port} (0: any free port). */
  public static EmbeddedDatabase start(Path dataDir, int port, boolean keepData) throws IOException {
    Path pgData = dataDir.toAbsolutePath().resolve("postgres");
    Files.createDirectories(pgData);
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(pgData)
        .setCleanDataDirectory(!keepData)
        .setOverrideWorkingDirectory(dataDir.toAbsolutePath().resolve("pg-runtime").toFile())
        .setServerConfig("max_connections", "300")
        .setServerConfig("fsync", keepData ? "on" : "off");
    if (port > 0) {
      builder.setPort(port);
    }
    EmbeddedPostgres pg = builder.start();
    EmbeddedDatabase db = new EmbeddedDatabase(pg);
    db.createDatabase(DATABASE);
    LOG.info("Embedded PostgreSQL on port {} with data in {}", pg.getPort(), pgData);
    return db;
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
}
