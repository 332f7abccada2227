package com.partneraccess.db;

import io.vertx.pgclient.PgConnectOptions;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Reads {@code postgresql://user:pass@host:port/db} into the Pg client's options and a JDBC URL for Flyway. */
public record DatabaseUrl(String host, int port, String database, String user, String password) {

  /**
   * Parses {@code postgres[ql]://[user[:password]@]host[:port][/database][?…]}; a URL it cannot read fails with a
   * one-line {@link IllegalArgumentException} naming DATABASE_URL and the part that is wrong (never the password).
   */
  public static DatabaseUrl parse(String url) {
    String rest = url == null ? "" : url.strip();
    if (!rest.matches("(?i)^postgres(ql)?://.*")) {
      throw invalid("must start with postgresql:// or postgres://");
    }
    rest = rest.substring(rest.indexOf("://") + 3);
    int end = indexOfAny(rest, "/?#");
    String authority = end < 0 ? rest : rest.substring(0, end);
    String tail = end < 0 ? "" : rest.substring(end);
    String user = "postgres";
    String password = "";
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
      authority = authority.substring(at + 1);
    }
    String host = authority;
    String portText = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw invalid("the IPv6 host has no closing ]");
      }
      host = authority.substring(1, close);
      if (authority.length() > close + 1) {
        if (authority.charAt(close + 1) != ':') {
          throw invalid("unexpected text after the host");
        }
        portText = authority.substring(close + 2);
      }
    } else {
      int colon = authority.lastIndexOf(':');
      if (colon >= 0) {
        host = authority.substring(0, colon);
        portText = authority.substring(colon + 1);
      }
    }
    if (host.isBlank()) {
      throw invalid("has no host");
    }
    int port = 5432;
    if (portText != null) {
      if (!portText.matches("\\d{1,5}") || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65_535) {
        throw invalid("the port \"" + portText + "\" is not a number from 1 to 65535");
      }
      port = Integer.parseInt(portText);
    }
    String path = tail.startsWith("/") ? tail.substring(1).replaceFirst("[?#].*$", "") : "";
    String db = path.isEmpty() ? "postgres" : decode(path);
    return new DatabaseUrl(host, port, db, user, password);
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException("DATABASE_URL " + why
        + " (expected postgresql://user:password@host:port/database)");
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Prepared statements are cached per connection (PostgreSQL then plans them once, generically), except those that
   * start with {@link Sql#PLAN_PER_CALL}: a search whose best plan depends on the words searched for (a rare word
   * reads a few rows by index, a common one reads a page in order and stops) is planned with its values every time.
   */
  public PgConnectOptions connectOptions() {
    PgConnectOptions options = new PgConnectOptions().setHost(host).setPort(port).setDatabase(database).setUser(user)
        .setPassword(password).setCachePreparedStatements(true).setPipeliningLimit(256);
    int sqlLimit = io.vertx.sqlclient.SqlConnectOptions.DEFAULT_PREPARED_STATEMENT_CACHE_SQL_LIMIT;
    return options.setPreparedStatementCacheSqlFilter(
        sql -> sql.length() <= sqlLimit && !sql.startsWith(Sql.PLAN_PER_CALL));
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
