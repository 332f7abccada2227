package com.partneraccess.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * A small blocking HTTP client for tests (Java's own), with the service's common journeys as helpers.
 * Each call returns the status and the parsed body.
 */
public final class ApiClient {
  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public ApiClient(String base) {
    this.base = base;
  }

  /** A reply: status, raw body, body as JSON when it is an object, and headers. */
  public record Reply(int status, String body, Map<String, java.util.List<String>> headers) {
    public JsonObject json() {
      return body == null || body.isBlank() || !body.trim().startsWith("{") ? new JsonObject() : new JsonObject(body);
    }

    public String reason() {
      return json().getString("reason");
    }

    public JsonArray array(String key) {
      return json().getJsonArray(key);
    }

    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
          .map(e -> e.getValue().get(0)).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Reply call(String method, String path, String token, Object body) {
    return raw(method, path, token, body == null ? null : String.valueOf(body), body == null ? null : "application/json");
  }

  public Reply raw(String method, String path, String token, String body, String contentType) {
    java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    return send(method, path, headers, body);
  }

  /** A request with exactly the headers given: for raw headers and bodies. */
  public Reply send(String method, String path, Map<String, String> headers, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    headers.forEach(b::header);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r.headers().map());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Reply get(String path, String token) {
    return call("GET", path, token, null);
  }

  public Reply post(String path, String token, JsonObject body) {
    return call("POST", path, token, body == null ? null : body.encode());
  }

  public Reply put(String path, String token, JsonObject body) {
    return call("PUT", path, token, body == null ? null : body.encode());
  }

  public Reply delete(String path, String token) {
    return call("DELETE", path, token, null);
  }

  // ---- journeys -------------------------------------------------------------------------------

  public static String uniqueEmail(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
  }

  /** A partner organisation with one user: its ids, token and referral code. */
  public record PartnerUser(String partnerId, String userId, String email, String token, String referralCode) {}

  /** A customer account with its owner: ids and the owner's token. */
  public record Customer(String accountId, String ownerId, String email, String token) {}

  public PartnerUser signUpPartner(String organisation) {
    String email = uniqueEmail("partner");
    Reply r = post("/api/v1/partners/signup", null, new JsonObject().put("organisation", organisation)
        .put("name", organisation + " user").put("email", email).put("password", "password-123"));
    expect(r, 201);
    JsonObject j = r.json();
    return new PartnerUser(j.getString("partnerId"), j.getString("userId"), email, j.getString("token"),
        j.getString("referralCode"));
  }

  public Customer signUpCustomer(String business, String referralCode) {
    String email = uniqueEmail("owner");
    JsonObject body = new JsonObject().put("businessName", business).put("name", business + " owner")
        .put("email", email).put("password", "password-123");
    if (referralCode != null) {
      body.put("referralCode", referralCode);
    }
    Reply r = post("/api/v1/signup", null, body);
    expect(r, 201);
    return new Customer(r.json().getString("accountId"), r.json().getString("userId"), email, r.json().getString("token"));
  }

  public String token(String email, String password) {
    Reply r = post("/api/v1/auth/token", null, new JsonObject().put("email", email).put("password", password));
    expect(r, 200);
    return r.json().getString("token");
  }

  /** R1/R2: the partner invites the customer's account and the owner accepts: connected, access enabled. */
  public void connectByInvite(PartnerUser partner, Customer customer) {
    Reply invite = post("/api/v1/partner/invites", partner.token(), new JsonObject().put("accountId", customer.accountId()));
    expect(invite, 201);
    Reply accept = post("/api/v1/account/partner-invites/" + invite.json().getString("id") + "/accept",
        customer.token(), null);
    expect(accept, 200);
  }

  /** R8: log in to the customer; returns the account-scoped token. */
  public String session(PartnerUser partner, String accountId) {
    Reply r = post("/api/v1/partner/customers/" + accountId + "/sessions", partner.token(), null);
    expect(r, 201);
    return r.json().getString("token");
  }

  public Reply setAccess(Customer customer, String partnerId, boolean enabled) {
    return put("/api/v1/account/partners/" + partnerId + "/access", customer.token(),
        new JsonObject().put("enabled", enabled));
  }

  public Reply createJobs(String token, int quantity) {
    return post("/api/v1/account/jobs", token, new JsonObject().put("title", "Job").put("quantity", quantity));
  }

  public Reply advanceClock(double days) {
    Reply r = post("/api/v1/test/clock", null, new JsonObject().put("days", days));
    expect(r, 200);
    return r;
  }

  public JsonObject customerOf(PartnerUser partner, String accountId) {
    Reply r = get("/api/v1/partner/customers?limit=100", partner.token());
    expect(r, 200);
    for (Object o : r.array("customers")) {
      JsonObject c = (JsonObject) o;
      if (accountId.equals(c.getString("accountId"))) {
        return c;
      }
    }
    return null;
  }

  public static Reply expect(Reply r, int status) {
    if (r.status() != status) {
      throw new AssertionError("expected " + status + " but got " + r);
    }
    return r;
  }
}
