package com.partneraccess.notifications;

import com.partneraccess.rules.RuleFixtures;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.TestApp;
import com.partneraccess.support.TestSql;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retention of the e-mail outbox: the relay deletes e-mails sent or given up longer ago than
 * {@code retention.outboxDays} (here 30), in batches of {@code retention.batchSize} (here 2, so several statements
 * run), every {@code retention.purgeSeconds} (here 1); newer ones and pending ones stay.
 */
@DisplayName("The e-mail outbox keeps finished e-mails for retention.outboxDays, pending ones until sent")
class OutboxRetentionTest {
  static TestApp app;
  static TestSql sql;

  @BeforeAll
  static void start() {
    app = TestApp.start(RuleFixtures.productConfig()
        .put("mail", new JsonObject().put("outbox", new JsonObject().put("pollMillis", 3_600_000)))
        .put("retention", new JsonObject().put("outboxDays", 30).put("purgeSeconds", 1).put("batchSize", 2)));
    sql = new TestSql(app.databaseUrl);
  }

  @AfterAll
  static void stop() {
    sql.close();
    app.close();
  }

  private static void row(UUID userId, String status, String mark, int daysAgo) {
    OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).minusDays(daysAgo);
    sql.query("INSERT INTO mail_outbox (id, user_id, recipient, template, model, status, next_attempt_at, created_at)"
            + " VALUES (gen_random_uuid(), $1, 'retention@example.test', 'lead', $2::jsonb, $3, $4, $4)",
        userId, new JsonObject().put("mark", mark), status, status.equals("pending") ? at.plusYears(10) : at);
  }

  private static List<String> marks(UUID userId) {
    List<String> out = new ArrayList<>();
    sql.query("SELECT model->>'mark' AS mark FROM mail_outbox WHERE user_id = $1 ORDER BY 1", userId)
        .forEach(r -> out.add(r.getString("mark")));
    return out;
  }

  @Test
  @DisplayName("Sent and failed e-mails older than 30 days are deleted (batch after batch); newer and pending ones are kept")
  void purgesOnlyOldFinishedRows() {
    PartnerUser p = app.api().signUpPartner("Retention Partners");
    UUID user = UUID.fromString(p.userId());
    for (int i = 0; i < 3; i++) {
      row(user, "sent", "old-sent-" + i, 31 + i);
    }
    row(user, "failed", "old-failed", 45);
    row(user, "sent", "new-sent", 29);
    row(user, "failed", "new-failed", 1);
    row(user, "pending", "old-pending", 400);
    await().atMost(Duration.ofSeconds(20)).until(() -> marks(user).size() == 3);
    assertThat(marks(user)).containsExactly("new-failed", "new-sent", "old-pending");
  }
}
