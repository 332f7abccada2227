package com.partneraccess.directory;

import com.partneraccess.db.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of the partner directory: listings, the search customers run, and leads. Each method runs one statement
 * and returns records; {@link DirectoryService} composes the statements of sending a lead in one transaction that
 * locks the account first, so its limits have one winner.
 */
public final class DirectoryRepository {
  static final String LISTING = """
      SELECT p.id, p.name, COALESCE(l.listed, false) AS listed, l.region, COALESCE(l.services, '{}') AS services,
             l.description, l.updated_at
        FROM partners p LEFT JOIN partner_listings l ON l.partner_id = p.id
       WHERE p.id = $1""";

  static final String SAVE_LISTING = """
      INSERT INTO partner_listings (partner_id, listed, region, services, description, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (partner_id) DO UPDATE
         SET listed = EXCLUDED.listed, region = EXCLUDED.region, services = EXCLUDED.services,
             description = EXCLUDED.description, updated_at = EXCLUDED.updated_at""";

  /**
   * Listed partners, by organisation name: $2 a part of the region (LIKE pattern, escaped) or NULL, $3 a service or
   * NULL; $1 the customer's account (to mark the partners connected to it); $4 rows, $5 offset.
   */
  static final String SEARCH = """
      SELECT p.id, p.name, l.region, l.services, l.description,
             EXISTS (SELECT 1 FROM connections c WHERE c.partner_id = p.id AND c.account_id = $1
                        AND c.disconnected_at IS NULL) AS connected
        FROM partner_listings l JOIN partners p ON p.id = l.partner_id
       WHERE l.listed
         AND ($2::text IS NULL OR l.region ILIKE $2 ESCAPE '\\')
         AND ($3::text IS NULL OR $3 = ANY (l.services))
       ORDER BY lower(p.name), p.id
       LIMIT $4 OFFSET $5""";

  static final String ENTRY = """
      SELECT p.id, p.name, l.region, l.services, l.description,
             EXISTS (SELECT 1 FROM connections c WHERE c.partner_id = p.id AND c.account_id = $1
                        AND c.disconnected_at IS NULL) AS connected
        FROM partner_listings l JOIN partners p ON p.id = l.partner_id
       WHERE l.listed AND p.id = $2""";

  /** Locks the account (every lead it sends takes this lock first) and reads who is sending. */
  static final String LOCK_SENDER = """
      SELECT a.business_name, a.status, u.name, u.email
        FROM accounts a JOIN users u ON u.account_id = a.id AND u.id = $2
       WHERE a.id = $1
         FOR UPDATE OF a""";

  static final String RECENT_LEADS = """
      SELECT count(*) AS n, min(created_at) AS oldest FROM leads WHERE account_id = $1 AND created_at > $2""";

  static final String OPEN_LEAD = """
      SELECT created_at FROM leads WHERE partner_id = $1 AND account_id = $2 AND handled_at IS NULL""";

  static final String LEAD_COLUMNS = """
      id, partner_id, account_id, business_name, contact_name, contact_email, message, created_at, handled_at""";

  static final String INSERT_LEAD = """
      INSERT INTO leads (id, partner_id, account_id, user_id, business_name, contact_name, contact_email, message,
                         created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      """ + " RETURNING " + LEAD_COLUMNS;

  /** One page of a partner's leads, newest first, after the cursor ($2, $3) when given; $4 the page size plus one. */
  static final String LEADS = "SELECT " + LEAD_COLUMNS + " " + """
       FROM leads
      WHERE partner_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
      ORDER BY created_at DESC, id DESC
      LIMIT $4""";

  static final String LEAD = "SELECT " + LEAD_COLUMNS + " FROM leads WHERE id = $1 AND partner_id = $2";

  static final String MARK_HANDLED = """
      UPDATE leads SET handled_at = $3, handled_by = $4
       WHERE id = $1 AND partner_id = $2 AND handled_at IS NULL
      """ + " RETURNING " + LEAD_COLUMNS;

  static final String PARTNER_EMAILS = """
      SELECT id, email FROM users WHERE partner_id = $1 AND kind = 'partner' AND removed_at IS NULL
       ORDER BY created_at LIMIT 50""";

  private final Pool pool;

  public DirectoryRepository(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  /** The partner's listing (not listed, empty, when it never saved one); null for an unknown partner. */
  public Future<Listing> listing(SqlClient client, UUID partnerId) {
    return client.preparedQuery(LISTING).execute(Tuple.of(partnerId)).map(rows -> {
      Row r = Sql.first(rows);
      return r == null ? null : new Listing(r.getUUID("id"), r.getString("name"), r.getBoolean("listed"),
          r.getString("region"), services(r), r.getString("description"), null, Sql.iso(r, "updated_at"));
    });
  }

  public Future<Void> saveListing(SqlClient client, UUID partnerId, boolean listed, String region, List<String> services,
                                  String description, OffsetDateTime now) {
    return client.preparedQuery(SAVE_LISTING).execute(Tuple.of(partnerId, listed, region,
        services.toArray(String[]::new), description, now)).mapEmpty();
  }

  /** Listed partners whose region contains {@code region} and who offer {@code service} (either may be null). */
  public Future<List<DirectoryEntry>> search(UUID accountId, String region, String service, int rows, int offset) {
    String pattern = region == null ? null : "%" + region.replace("\\", "\\\\").replace("%", "\\%")
        .replace("_", "\\_") + "%";
    return pool.preparedQuery(SEARCH).execute(Tuple.of(accountId, pattern, service, rows, offset)).map(set -> {
      List<DirectoryEntry> out = new ArrayList<>(set.size());
      set.forEach(r -> out.add(entry(r)));
      return out;
    });
  }

  /** A listed partner as the customer of {@code accountId} sees it; null when it is not listed. */
  public Future<DirectoryEntry> entry(SqlClient client, UUID accountId, UUID partnerId) {
    return client.preparedQuery(ENTRY).execute(Tuple.of(accountId, partnerId)).map(rows -> {
      Row r = Sql.first(rows);
      return r == null ? null : entry(r);
    });
  }

  /** Who is sending a lead from an account, read while the account row is locked; null when unknown. */
  public record Sender(String businessName, String accountStatus, String name, String email) {}

  public Future<Sender> lockSender(SqlClient tx, UUID accountId, UUID userId) {
    return tx.preparedQuery(LOCK_SENDER).execute(Tuple.of(accountId, userId)).map(rows -> {
      Row r = Sql.first(rows);
      return r == null ? null : new Sender(r.getString("business_name"), r.getString("status"), r.getString("name"),
          r.getString("email"));
    });
  }

  /** How many leads the account sent after {@code since}, and when the oldest of them was sent. */
  public record Recent(int count, OffsetDateTime oldest) {}

  public Future<Recent> recentLeads(SqlClient tx, UUID accountId, OffsetDateTime since) {
    return tx.preparedQuery(RECENT_LEADS).execute(Tuple.of(accountId, since)).map(rows -> {
      Row r = Sql.first(rows);
      return new Recent(r.getLong("n").intValue(), r.getOffsetDateTime("oldest"));
    });
  }

  /** When the account's open lead to the partner was sent; null when there is none. */
  public Future<OffsetDateTime> openLead(SqlClient tx, UUID partnerId, UUID accountId) {
    return tx.preparedQuery(OPEN_LEAD).execute(Tuple.of(partnerId, accountId)).map(rows -> {
      Row r = Sql.first(rows);
      return r == null ? null : r.getOffsetDateTime("created_at");
    });
  }

  public Future<Lead> insertLead(SqlClient tx, UUID partnerId, UUID accountId, UUID userId, Sender sender,
                                 String message, OffsetDateTime now) {
    return tx.preparedQuery(INSERT_LEAD).execute(Tuple.from(new Object[] {UUID.randomUUID(), partnerId, accountId,
        userId, sender.businessName(), sender.name(), sender.email(), message, now})).map(rows -> lead(Sql.first(rows)));
  }

  /** Up to {@code rows} of the partner's leads, newest first, after ({@code afterAt}, {@code afterId}) when given. */
  public Future<List<Lead>> leads(UUID partnerId, OffsetDateTime afterAt, UUID afterId, int rows) {
    return pool.preparedQuery(LEADS).execute(Tuple.of(partnerId, afterAt, afterId, rows)).map(set -> {
      List<Lead> out = new ArrayList<>(set.size());
      set.forEach(r -> out.add(lead(r)));
      return out;
    });
  }

  /** The partner's own lead; null when there is none with that id (or it is another partner's). */
  public Future<Lead> lead(UUID partnerId, UUID leadId) {
    return pool.preparedQuery(LEAD).execute(Tuple.of(leadId, partnerId)).map(rows -> {
      Row r = Sql.first(rows);
      return r == null ? null : lead(r);
    });
  }

  /** Marks the partner's open lead handled; null when it is not open (already handled, or not the partner's). */
  public Future<Lead> markHandled(UUID partnerId, UUID leadId, UUID userId, OffsetDateTime now) {
    return pool.preparedQuery(MARK_HANDLED).execute(Tuple.of(leadId, partnerId, now, userId)).map(rows -> {
      Row r = Sql.first(rows);
      return r == null ? null : lead(r);
    });
  }

  /** A user of a partner organisation that a lead is e-mailed to. */
  public record Recipient(UUID userId, String email) {}

  /** The partner organisation's current users, at most 50 (the lead goes to each), read in {@code tx}. */
  public Future<List<Recipient>> partnerRecipients(SqlClient tx, UUID partnerId) {
    return tx.preparedQuery(PARTNER_EMAILS).execute(Tuple.of(partnerId)).map(rows -> {
      List<Recipient> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(new Recipient(r.getUUID("id"), r.getString("email"))));
      return out;
    });
  }

  private static DirectoryEntry entry(Row r) {
    return new DirectoryEntry(r.getUUID("id"), r.getString("name"), r.getString("region"), services(r),
        r.getString("description"), null, r.getBoolean("connected"));
  }

  private static List<String> services(Row r) {
    String[] s = r.getArrayOfStrings("services");
    return s == null ? List.of() : List.copyOf(Arrays.asList(s));
  }

  private static Lead lead(Row r) {
    return new Lead(r.getUUID("id"), r.getUUID("partner_id"), r.getUUID("account_id"), r.getString("business_name"),
        r.getString("contact_name"), r.getString("contact_email"), r.getString("message"), Sql.iso(r, "created_at"),
        Sql.iso(r, "handled_at"));
  }
}
