package com.partneraccess.web;

import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ServiceTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The CSRF token is bound to the session and renewed at sign-in")
class CsrfSessionTest extends ServiceTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(String path, String cookies) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).header("Accept", "text/html");
    if (cookies != null) {
      b.header("Cookie", cookies);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String cookies, String form) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).header("Accept", "text/html")
        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookies)
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String cookie(HttpResponse<?> r, String name) {
    return r.headers().allValues("Set-Cookie").stream().filter(v -> v.startsWith(name + "="))
        .map(v -> v.substring(name.length() + 1, v.indexOf(';'))).findFirst().orElse(null);
  }

  private static String token(HttpResponse<String> page) {
    return page.body().replaceAll("(?s).*<meta name=\"csrf-token\" content=\"([^\"]*)\">.*", "$1");
  }

  /** A browser signed in as {@code c}: its cookies and the token its pages show. */
  private record Browser(String csrfCookie, String session, String anonymousToken, String token) {
    String cookies() {
      return "pa_csrf=" + csrfCookie + "; pa_session=" + session;
    }
  }

  private Browser signIn(Customer c) throws Exception {
    HttpResponse<String> form = get("/signin", null);
    String before = cookie(form, "pa_csrf");
    String anonymousToken = token(form);
    HttpResponse<String> in = post("/signin", "pa_csrf=" + before,
        "_csrf=" + anonymousToken + "&email=" + c.email() + "&password=password-123");
    assertThat(in.statusCode()).isEqualTo(303);
    String after = cookie(in, "pa_csrf");
    assertThat(after).as("signing in sets a new CSRF cookie").isNotNull().isNotEqualTo(before);
    String session = cookie(in, "pa_session");
    HttpResponse<String> page = get("/app/jobs", "pa_csrf=" + after + "; pa_session=" + session);
    assertThat(page.statusCode()).isEqualTo(200);
    return new Browser(after, session, anonymousToken, token(page));
  }

  @Test
  @DisplayName("A token shown before signing in does not work in the session, even with the old CSRF cookie")
  void tokenFromBeforeSignInIsRefused() throws Exception {
    Customer c = api.signUpCustomer("Fixated Fishmonger", null);
    HttpResponse<String> form = get("/signin", null);
    String oldCookie = cookie(form, "pa_csrf");
    String oldToken = token(form);
    HttpResponse<String> in = post("/signin", "pa_csrf=" + oldCookie,
        "_csrf=" + oldToken + "&email=" + c.email() + "&password=password-123");
    String session = cookie(in, "pa_session");
    // an attacker who planted the CSRF cookie and knows its pre-sign-in token cannot post in the victim's session
    HttpResponse<String> forged = post("/app/jobs", "pa_csrf=" + oldCookie + "; pa_session=" + session,
        "_csrf=" + oldToken + "&title=Forged");
    assertThat(forged.statusCode()).isEqualTo(403);
  }

  @Test
  @DisplayName("A token is bound to its session: another user's token and CSRF cookie do not work with this session")
  void tokenIsBoundToTheSession() throws Exception {
    Browser victim = signIn(api.signUpCustomer("Victim Vintners", null));
    Browser attacker = signIn(api.signUpCustomer("Attacker Arcade", null));
    HttpResponse<String> forged = post("/app/jobs", "pa_csrf=" + attacker.csrfCookie() + "; pa_session=" + victim.session(),
        "_csrf=" + attacker.token() + "&title=Forged");
    assertThat(forged.statusCode()).isEqualTo(403);
    // the victim's own token works
    HttpResponse<String> own = post("/app/jobs", victim.cookies(), "_csrf=" + victim.token() + "&title=Mine");
    assertThat(own.statusCode()).isEqualTo(303);
  }
}
