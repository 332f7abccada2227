package com.partneraccess.db;

import com.partneraccess.config.AppConfig;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * Applies the versioned SQL in {@code db/migration} with Flyway, then writes the configured policy
 * (R11-R13) into the {@code policy} row and re-derives every live connection's expiry when it changed.
 * Blocking (JDBC): run it with {@code executeBlocking}.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private static final String UPDATE_POLICY = """
      UPDATE policy SET expiry_days = ?, job_threshold = ?, rule_from = ?
      WHERE id = 1 AND (expiry_days, job_threshold, rule_from) IS DISTINCT FROM (?, ?, ?)""";

  /**
   * Touches the live, enabled connections whose expiry has not passed, so the trigger of V008 (the one writer of
   * {@code expires_at}) derives them from the new policy; a passed expiry stays passed (the sweep marks it).
   */
  private static final String REDERIVE_EXPIRY = """
      UPDATE connections SET expires_at = expires_at
       WHERE access = 'enabled' AND disconnected_at IS NULL AND (expires_at IS NULL OR expires_at > now())""";

  private Migrations() {}

  public static int migrate(DatabaseUrl url, AppConfig.Policy policy) {
    Flyway flyway = Flyway.configure()
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations("classpath:db/migration")
        .load();
    int applied = flyway.migrate().migrationsExecuted;
    LOG.info("Database schema is current ({} migrations applied now)", applied);
    syncPolicy(url, policy);
    return applied;
  }

  private static void syncPolicy(DatabaseUrl url, AppConfig.Policy policy) {
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
      c.setAutoCommit(false);
      Timestamp ruleFrom = policy.ruleFrom() == null ? null : Timestamp.from(policy.ruleFrom());
      int changed;
      try (PreparedStatement ps = c.prepareStatement(UPDATE_POLICY)) {
        ps.setInt(1, policy.expiryDays());
        ps.setInt(2, policy.jobThreshold());
        ps.setTimestamp(3, ruleFrom);
        ps.setInt(4, policy.expiryDays());
        ps.setInt(5, policy.jobThreshold());
        ps.setTimestamp(6, ruleFrom);
        changed = ps.executeUpdate();
      }
      if (changed > 0) {
        try (PreparedStatement ps = c.prepareStatement(REDERIVE_EXPIRY)) {
          int rows = ps.executeUpdate();
          LOG.info("Expiry policy changed ({} days, {} jobs, rule on from {}); re-derived {} connections",
              policy.expiryDays(), policy.jobThreshold(), policy.ruleFrom(), rows);
        }
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("could not write the expiry policy", e);
    }
  }
}
