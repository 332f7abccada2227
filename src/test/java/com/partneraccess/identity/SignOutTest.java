package com.partneraccess.identity;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ServiceTest;
import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Signing out ends the session, on every instance")
class SignOutTest extends ServiceTest {

  @Test
  @DisplayName("A signed-out API token is refused at once, here and on a second instance, while a fresh one works")
  void apiSignOut() {
    ApiClient.Customer c = api.signUpCustomer("Signing Out Salon", null);
    String token = api.token(c.email(), "password-123");
    try (TestApp second = TestApp.start(new JsonObject(), app.databaseUrl)) {
      assertThat(second.api().get("/api/v1/account", token).status()).isEqualTo(200);
      expect(api.post("/api/v1/auth/signout", token, null), 200);
      ApiClient.Reply here = api.get("/api/v1/account", token);
      assertThat(here.status()).isEqualTo(401);
      assertThat(here.json().getString("detail")).contains("signed out");
      long deadline = System.currentTimeMillis() + 5_000;
      int status;
      do {
        status = second.api().get("/api/v1/account", token).status();
      } while (status != 401 && System.currentTimeMillis() < deadline);
      assertThat(status).as("the other instance refuses the signed-out token").isEqualTo(401);
      // a restarted instance still knows: it loads the revocations at start
      try (TestApp third = TestApp.start(new JsonObject(), app.databaseUrl)) {
        assertThat(third.api().get("/api/v1/account", token).status()).isEqualTo(401);
      }
    }
    assertThat(api.get("/api/v1/account", api.token(c.email(), "password-123")).status()).isEqualTo(200);
    assertThat(api.post("/api/v1/auth/signout", null, null).status()).isEqualTo(401);
  }

  @Test
  @DisplayName("Signing out of the pages ends the cookie's token: a copy of the cookie no longer opens a page")
  void pageSignOut() throws Exception {
    ApiClient.Customer c = api.signUpCustomer("Cookie Cutters", null);
    HttpClient http = HttpClient.newHttpClient();
    // sign in through the page, keeping the cookies by hand
    HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/signin")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    String csrfCookie = cookie(form, "pa_csrf");
    String csrf = form.body().replaceAll("(?s).*<meta name=\"csrf-token\" content=\"([^\"]*)\">.*", "$1");
    HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/signin"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "pa_csrf=" + csrfCookie)
        .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrf + "&email=" + c.email() + "&password=password-123"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(signedIn.statusCode()).isEqualTo(303);
    String session = cookie(signedIn, "pa_session");
    // signing in renews the CSRF cookie; the session's pages carry the token bound to it
    String cookies = "pa_csrf=" + cookie(signedIn, "pa_csrf") + "; pa_session=" + session;
    HttpResponse<String> jobs = get(http, "/app/jobs", cookies);
    assertThat(jobs.statusCode()).isEqualTo(200);
    csrf = jobs.body().replaceAll("(?s).*<meta name=\"csrf-token\" content=\"([^\"]*)\">.*", "$1");

    HttpResponse<String> out = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/signout"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookies)
        .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrf)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(out.statusCode()).isEqualTo(303);
    HttpResponse<String> replay = get(http, "/app/jobs", cookies);
    assertThat(replay.statusCode()).as("the copied cookie is signed out").isEqualTo(303);
    assertThat(replay.headers().firstValue("Location").orElse("")).startsWith("/signin");
    assertThat(api.get("/api/v1/account", session).status()).isEqualTo(401);
  }

  private static HttpResponse<String> get(HttpClient http, String path, String cookies) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).header("Cookie", cookies)
        .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String cookie(HttpResponse<?> r, String name) {
    return r.headers().allValues("Set-Cookie").stream().filter(v -> v.startsWith(name + "="))
        .map(v -> v.substring(name.length() + 1, v.indexOf(';'))).findFirst().orElseThrow();
  }
}
