package com.partneraccess.activity;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * R32: the CSV form of activity rows (RFC 4180: comma-separated, CRLF line ends, a field with a comma, quote, CR
 * or LF in double quotes with quotes doubled). A field a spreadsheet would read as a formula (starting with
 * {@code = + - @}, or a tab or CR) is prefixed with {@code '} first, so a partner's name or a reason typed by
 * someone cannot run in the owner's spreadsheet (CSV injection).
 */
public final class ActivityCsv {
  public static final String HEADER = "id,at,kind,summary,user,partner\r\n";
  private static final DateTimeFormatter AT = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  private ActivityCsv() {}

  /** One line, ending in CRLF; {@code at} in {@code zone}, ISO-8601 with its offset. */
  public static String line(ActivityEntry e, ZoneId zone) {
    StringBuilder b = new StringBuilder(128);
    b.append(e.id()).append(',');
    b.append(AT.format(Instant.parse(e.at()).atZone(zone).toOffsetDateTime())).append(',');
    b.append(cell(e.kind())).append(',');
    b.append(cell(e.summary())).append(',');
    b.append(cell(e.user())).append(',');
    b.append(cell(e.partner())).append("\r\n");
    return b.toString();
  }

  /** One field: guarded against formulas, then quoted when it needs to be. Null is the empty field. */
  public static String cell(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    String v = value;
    char first = v.charAt(0);
    if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
      v = "'" + v;
    }
    boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
    return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
  }
}
