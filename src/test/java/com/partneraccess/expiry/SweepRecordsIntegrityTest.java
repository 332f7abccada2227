package com.partneraccess.expiry;

import com.partneraccess.support.TestDatabase;
import com.partneraccess.support.TestSql;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, goal 4 (V141): the sweep's history rows and webhook deliveries are written without foreign-key checks (their
 * one writer guarantees what the checks checked), and what those keys also protected on the referenced side still
 * holds: a connection, a webhook event with deliveries and a subscription with deliveries cannot be deleted or
 * truncated (SQLSTATE 23503, as with the keys), while an event without deliveries can.
 */
@DisplayName("V141: the records the sweep writes keep their referenced rows without per-row key checks")
class SweepRecordsIntegrityTest {
  static TestSql sql;

  @BeforeAll
  static void start() {
    sql = new TestSql(TestDatabase.newDatabase());
  }

  @AfterAll
  static void stop() {
    sql.close();
  }

  static void assertRefused(String statement, Object... params) {
    assertThatThrownBy(() -> sql.query(statement, params))
        .isInstanceOf(PgException.class)
        .satisfies(e -> assertThat(((PgException) e).getSqlState()).isEqualTo("23503"));
  }

  @Test
  @DisplayName("R32: a connection (its history refers to it) can be neither deleted nor truncated")
  void connectionsAreNeverDeleted() {
    UUID partner = sql.seedDueConnections(2, Instant.now());
    UUID connection = sql.query("SELECT id FROM connections WHERE partner_id = $1 LIMIT 1", partner)
        .iterator().next().getUUID("id");
    assertThat(sql.count("SELECT count(*) FROM access_history WHERE connection_id = $1", connection)).isEqualTo(1);

    assertRefused("DELETE FROM connections WHERE id = $1", connection);
    assertRefused("TRUNCATE connections CASCADE");
    assertThat(sql.count("SELECT count(*) FROM connections WHERE partner_id = $1", partner)).isEqualTo(2);
  }

  @Test
  @DisplayName("R33: a webhook event or subscription with deliveries cannot be deleted; an event without any can")
  void webhookRowsWithDeliveriesAreKept() {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    UUID subscription = UUID.randomUUID();
    sql.query("""
        INSERT INTO webhook_subscriptions (id, url, secret, events, active, created_at)
        VALUES ($1, 'http://127.0.0.1:9/hook', 'secret', ARRAY['access.expired'], true, $2)""", subscription, now);
    long delivered = sql.query("""
        WITH e AS (
          INSERT INTO webhook_events (kind, connection_id, account_id, partner_id, data, occurred_at)
          VALUES ('access.expired', gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), '{}', $2) RETURNING id
        ), d AS (
          INSERT INTO webhook_deliveries (subscription_id, event_id, connection_id, status, next_attempt_at, created_at)
          SELECT $1, e.id, gen_random_uuid(), 'pending', $2, $2 FROM e
        )
        SELECT id FROM e""", subscription, now).iterator().next().getLong("id");
    long lone = sql.query("""
        INSERT INTO webhook_events (kind, connection_id, account_id, partner_id, data, occurred_at)
        VALUES ('access.expired', gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), '{}', $1) RETURNING id""",
        now).iterator().next().getLong("id");

    assertRefused("DELETE FROM webhook_events WHERE id = $1", delivered);
    assertRefused("DELETE FROM webhook_subscriptions WHERE id = $1", subscription);
    assertRefused("TRUNCATE webhook_events");
    assertRefused("TRUNCATE webhook_subscriptions");
    assertThat(sql.query("DELETE FROM webhook_events WHERE id = $1", lone).rowCount()).isEqualTo(1);
    assertThat(sql.count("SELECT count(*) FROM webhook_events WHERE id = $1", delivered)).isEqualTo(1);
    assertThat(sql.count("SELECT count(*) FROM webhook_subscriptions WHERE id = $1", subscription)).isEqualTo(1);
  }
}
