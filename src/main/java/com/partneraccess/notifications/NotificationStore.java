package com.partneraccess.notifications;

import com.partneraccess.authz.TeamScope;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Stores notifications (R27, R31) inside the caller's transaction, in one statement per call: one row per
 * recipient (the account's owner and admins, or the partner's admins and the members assigned to that customer,
 * R28), an e-mail in the outbox for each recipient whose choice (or the kind's default) is e-mail, and a NOTIFY on
 * PostgreSQL channel {@value #CHANNEL} per notification (or, for a batch, one row in {@code live_batches} and one
 * NOTIFY for the whole batch: db/LiveBatches). PostgreSQL delivers a NOTIFY only when the transaction commits, and the rows
 * roll back with it: a change that rolled back is never told about, live or by e-mail.
 * {@link NotificationVerticle} turns the NOTIFYs into live events; {@link MailRelayVerticle} sends the e-mails.
 */
public final class NotificationStore {
  public static final String CHANNEL = "notifications";
  /** The one mail template of notifications (templates/mail/notification.*.peb). */
  public static final String MAIL_TEMPLATE = "notification";

  /**
   * $1 accounts, $2 partners, $3 details, $4 second details, $5 links (arrays, one element per event), $6 the
   * wording pattern, $7 kind, $8 e-mailed by default, $9 being told is a choice (not for the owner), $10 at,
   * $11 at as ISO text, $12 told by default where it is a choice; {@code batched}: $13 the live batch (V110) that
   * gets the live events, instead of one NOTIFY per notification.
   * The names are looked up per event through the primary keys (scalar subqueries; both columns are NOT NULL, so the
   * filter drops an event whose account or partner does not exist, as a join would): with a join the planner
   * estimates 1,000 events for any array and, at scale, hashes the whole accounts table for a sweep batch (a
   * sequential scan of 100,000 accounts per batch of 1,000 at 1,000,000 connections; issue 10).
   */
  static String insert(String recipientsOfEvent, boolean batched) {
    return """
        WITH ev AS (
          SELECT * FROM (
            SELECT e.account_id, e.partner_id, e.detail, e.detail2, e.link,
                   (SELECT a.business_name FROM accounts a WHERE a.id = e.account_id) AS business_name,
                   (SELECT p.name FROM partners p WHERE p.id = e.partner_id) AS partner_name
              FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[])
                     AS e(account_id, partner_id, detail, detail2, link)) n
           WHERE business_name IS NOT NULL AND partner_name IS NOT NULL
        ), recipients AS MATERIALIZED (
          SELECT gen_random_uuid() AS notification_id, u.id AS user_id, u.email, u.name AS user_name,
                 u.account_id AS user_account, u.partner_id AS user_partner, ev.account_id, ev.partner_id, ev.link,
                 format($6::text, ev.partner_name, ev.business_name, ev.detail, ev.detail2) AS message,
                 COALESCE(pr.email, $8::boolean) AS by_email,
                 CASE WHEN $9::boolean AND u.role IS DISTINCT FROM 'owner' THEN COALESCE(pr.in_app, $12::boolean)
                      ELSE true END AS told
            FROM ev
            JOIN users u ON %s
            LEFT JOIN notification_preferences pr ON pr.user_id = u.id AND pr.kind = $7::text
        ), stored AS (
          INSERT INTO notifications (id, user_id, kind, message, link, account_id, partner_id, created_at)
          SELECT notification_id, user_id, $7::text, message, link, account_id, partner_id, $10::timestamptz
            FROM recipients WHERE told
        ), mailed AS (
          INSERT INTO mail_outbox (id, notification_id, user_id, recipient, template, model, next_attempt_at, created_at)
          SELECT gen_random_uuid(), notification_id, user_id, email, '%s',
                 jsonb_build_object('name', user_name, 'message', message, 'link', link),
                 $10::timestamptz, $10::timestamptz
            FROM recipients WHERE told AND by_email
        )
        %s""".formatted(recipientsOfEvent, MAIL_TEMPLATE, batched ? """
        , live AS (
          INSERT INTO live_batches (id, channel, payloads)
          SELECT $13::bigint, '%1$s', array_agg(%2$s::text) FROM recipients WHERE told HAVING count(*) > 0
        )
        SELECT notification_id FROM recipients WHERE told""".formatted(CHANNEL, PAYLOAD) : """
        SELECT notification_id, pg_notify('%s', %s::text) AS sent
          FROM recipients WHERE told""".formatted(CHANNEL, PAYLOAD));
  }

  /** The live event of one stored notification (a row of {@code recipients}), as NOTIFYed or batched. */
  private static final String PAYLOAD = """
      json_build_object('id', notification_id, 'userId', user_id, 'accountId', user_account,
                         'partnerId', user_partner, 'kind', $7::text, 'message', message, 'link', link,
                         'createdAt', $11::text)""";

  static final String FOR_ACCOUNT = "u.account_id = ev.account_id AND u.role IN ('owner', 'admin')";
  /** R28: the partner's current admins, and the members assigned to the customer the event is about. */
  static final String FOR_PARTNER = "u.partner_id = ev.partner_id AND u.removed_at IS NULL AND "
      + TeamScope.hearsOf("u", "ev.account_id", "ev.partner_id");
  static final String INSERT_FOR_ACCOUNT = insert(FOR_ACCOUNT, false);
  static final String INSERT_FOR_PARTNER = insert(FOR_PARTNER, false);
  static final String BATCH_FOR_ACCOUNT = insert(FOR_ACCOUNT, true);
  static final String BATCH_FOR_PARTNER = insert(FOR_PARTNER, true);

  /** One event to tell about: the account and partner it concerns, up to two details, and its link (null: the kind's). */
  public record Event(UUID accountId, UUID partnerId, String detail, String detail2, String link) {
    public Event(UUID accountId, UUID partnerId) {
      this(accountId, partnerId, null, null, null);
    }
  }

  private NotificationStore() {}

  /** Tells the recipients of {@code kind} about one event between an account and a partner; returns how many. */
  public static Future<Integer> record(SqlClient tx, NotificationKind kind, UUID accountId, UUID partnerId,
                                       OffsetDateTime at) {
    return record(tx, kind, List.of(new Event(accountId, partnerId)), at);
  }

  /** Tells the recipients of {@code kind} about one event with its details. */
  public static Future<Integer> record(SqlClient tx, NotificationKind kind, Event event, OffsetDateTime at) {
    return record(tx, kind, List.of(event), at);
  }

  /** Tells the recipients of {@code kind} about several events at once, one NOTIFY per notification. */
  public static Future<Integer> record(SqlClient tx, NotificationKind kind, List<Event> events, OffsetDateTime at) {
    return record(tx, kind, events, at, null);
  }

  /**
   * The same, with the live events stored in live batch {@code liveBatch} (V110, {@code db/LiveBatches}) instead of
   * NOTIFYed one by one (null: NOTIFYed); the caller sends the batch's one NOTIFY (the expiry sweep's batches).
   */
  public static Future<Integer> record(SqlClient tx, NotificationKind kind, List<Event> events, OffsetDateTime at,
                                       Long liveBatch) {
    if (events.isEmpty()) {
      return Future.succeededFuture(0);
    }
    int n = events.size();
    UUID[] accounts = new UUID[n];
    UUID[] partners = new UUID[n];
    String[] details = new String[n];
    String[] details2 = new String[n];
    String[] links = new String[n];
    for (int i = 0; i < n; i++) {
      Event e = events.get(i);
      accounts[i] = e.accountId();
      partners[i] = e.partnerId();
      details[i] = e.detail();
      details2[i] = e.detail2();
      links[i] = e.link() == null ? kind.link : e.link();
    }
    boolean toAccount = kind.audience == NotificationKind.Audience.ACCOUNT;
    String sql = liveBatch == null ? (toAccount ? INSERT_FOR_ACCOUNT : INSERT_FOR_PARTNER)
        : (toAccount ? BATCH_FOR_ACCOUNT : BATCH_FOR_PARTNER);
    List<Object> params = new java.util.ArrayList<>(List.<Object>of(accounts, partners, details, details2, links,
        kind.pattern, kind.code, kind.emailByDefault, kind.toldByChoice("admin"), at, at.toInstant().toString(),
        kind.toldByDefault("admin")));
    if (liveBatch != null) {
      params.add(liveBatch);
    }
    return tx.preparedQuery(sql).execute(Tuple.tuple(params)).map(rows -> rows.size());
  }
}
