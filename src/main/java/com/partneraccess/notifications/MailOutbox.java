package com.partneraccess.notifications;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * THE way a feature e-mails someone about a change it makes: the e-mail is written to {@code mail_outbox} inside the
 * caller's transaction (one statement for all of them), so a change that rolls back sends nothing, and
 * {@link MailRelayVerticle} sends what committed, at least once, retrying a refusing SMTP server. The relay puts
 * {@code http.publicUrl} in front of the model's {@code link} (a path of this site) and adds {@code preferencesLink}.
 * Notifications write their e-mails in {@link NotificationStore}'s statement; leads and access reviews use this.
 */
public final class MailOutbox {
  /** One e-mail: the user it is for, its address, its template (templates/mail) and the template's model. */
  public record Outgoing(UUID userId, String recipient, String template, Map<String, Object> model) {}

  /** $1 users, $2 addresses, $3 templates, $4 models as JSON text (arrays, one element per e-mail), $5 now. */
  static final String ENQUEUE = """
      INSERT INTO mail_outbox (id, user_id, recipient, template, model, next_attempt_at, created_at)
      SELECT gen_random_uuid(), m.user_id, m.recipient, m.template, m.model::jsonb, $5::timestamptz, $5::timestamptz
        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS m(user_id, recipient, template, model)""";

  private MailOutbox() {}

  /** Writes the e-mails in the caller's transaction {@code tx}; returns how many were queued. */
  public static Future<Integer> enqueue(SqlClient tx, List<Outgoing> mails, OffsetDateTime at) {
    if (mails.isEmpty()) {
      return Future.succeededFuture(0);
    }
    int n = mails.size();
    UUID[] users = new UUID[n];
    String[] recipients = new String[n];
    String[] templates = new String[n];
    String[] models = new String[n];
    for (int i = 0; i < n; i++) {
      Outgoing m = mails.get(i);
      users[i] = m.userId();
      recipients[i] = m.recipient();
      templates[i] = m.template();
      models[i] = new JsonObject(m.model()).encode();
    }
    return tx.preparedQuery(ENQUEUE).execute(Tuple.of(users, recipients, templates, models, at))
        .map(rows -> rows.rowCount());
  }
}
