package com.partneraccess.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser without JavaScript, for tests outside the web package: keeps cookies, reads the CSRF token from
 * each page's meta tag and sends it with every form. Redirects are not followed.
 */
public final class PageClient {
  private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]*)\">");

  private final String base;
  private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient http;
  private String csrf = "";

  public PageClient(String base) {
    this.base = base;
    this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  public HttpResponse<String> get(String path) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/html").GET());
    Matcher m = CSRF.matcher(r.body());
    if (m.find()) {
      csrf = m.group(1);
    }
    return r;
  }

  /** Posts the form with this client's CSRF token (unless the form has its own {@code _csrf}). */
  public HttpResponse<String> post(String path, Map<String, String> form) {
    Map<String, String> all = new LinkedHashMap<>(form);
    all.putIfAbsent("_csrf", csrf);
    StringJoiner body = new StringJoiner("&");
    all.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return postRaw(path, body.toString());
  }

  /** Posts an already encoded form body. */
  public HttpResponse<String> postRaw(String path, String encodedBody) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/html")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(encodedBody)));
  }

  public String csrf() {
    return csrf;
  }

  /** The value of a cookie this client holds, or null. */
  public String cookie(String name) {
    List<HttpCookie> all = cookies.getCookieStore().getCookies();
    return all.stream().filter(c -> c.getName().equals(name)).map(HttpCookie::getValue).findFirst().orElse(null);
  }

  /** Signs in through the sign-in page; returns where it lands. */
  public String signIn(String email, String password) {
    get("/signin");
    HttpResponse<String> r = post("/signin", Map.of("email", email, "password", password));
    if (r.statusCode() != 303) {
      throw new AssertionError("sign-in failed: " + r.statusCode() + " " + r.body());
    }
    String landing = r.headers().firstValue("Location").orElseThrow();
    get(landing); // a page of the session, for its CSRF token
    return landing;
  }

  public HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
