package com.partneraccess.web;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cookie-keeping HTTP client that talks to the pages as a browser without JavaScript would: it reads the
 * CSRF token from the page's meta tag and sends it with each form. Redirects are not followed, so tests see
 * the 303 and its Location.
 */
final class Browserless {
  private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]*)\">");

  private final String base;
  final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient http;
  private String csrf = "";

  Browserless(String base) {
    this.base = base;
    this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  HttpResponse<String> get(String path) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/html").GET());
    Matcher m = CSRF.matcher(r.body());
    if (m.find()) {
      csrf = m.group(1);
    }
    return r;
  }

  /** GET, following redirects within the site. */
  HttpResponse<String> open(String path) {
    HttpResponse<String> r = get(path);
    int hops = 0;
    while (r.statusCode() == 303 || r.statusCode() == 302) {
      r = get(r.headers().firstValue("Location").orElseThrow());
      if (++hops > 5) {
        throw new AssertionError("too many redirects");
      }
    }
    return r;
  }

  HttpResponse<String> post(String path, Map<String, String> form) {
    Map<String, String> all = new LinkedHashMap<>(form);
    all.putIfAbsent("_csrf", csrf);
    return postRaw(path, all);
  }

  HttpResponse<String> postRaw(String path, Map<String, String> form) {
    StringJoiner body = new StringJoiner("&");
    form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/html")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  String csrf() {
    return csrf;
  }

  /** Signs in through the sign-in page; returns where it lands. */
  String signIn(String email, String password) {
    get("/signin");
    HttpResponse<String> r = post("/signin", Map.of("email", email, "password", password));
    if (r.statusCode() != 303) {
      throw new AssertionError("sign-in failed: " + r.statusCode() + " " + r.body());
    }
    return r.headers().firstValue("Location").orElseThrow();
  }

  private HttpResponse<String> send(HttpRequest.Builder b) {
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
