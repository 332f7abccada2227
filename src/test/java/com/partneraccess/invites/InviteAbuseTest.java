package com.partneraccess.invites;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.PageClient;
import com.partneraccess.support.ServiceTest;
import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Invites reveal nothing about an account before acceptance, and are limited")
class InviteAbuseTest extends ServiceTest {
  private static Reply invite(ApiClient client, PartnerUser partner, JsonObject body) {
    return client.post("/api/v1/partner/invites", partner.token(), body);
  }

  @Test
  @DisplayName("Inviting by e-mail shows neither the account id nor the business name, in the reply, the list or the page")
  void inviteByEmailRevealsNoAccount() {
    PartnerUser partner = api.signUpPartner("Curious Consultants");
    Customer customer = api.signUpCustomer("Secret Sawmill", null);
    Reply known = expect(invite(api, partner, new JsonObject().put("email", customer.email())), 201);
    Reply unknown = expect(invite(api, partner, new JsonObject().put("email", ApiClient.uniqueEmail("nobody"))), 201);
    for (Reply r : new Reply[] {known, unknown}) {
      assertThat(r.body()).doesNotContain(customer.accountId()).doesNotContain("Secret Sawmill");
      assertThat(r.json().getValue("accountId")).isNull();
      assertThat(r.json().getValue("businessName")).isNull();
    }
    assertThat(known.json().fieldNames()).isEqualTo(unknown.json().fieldNames());
    Reply list = expect(api.get("/api/v1/partner/invites", partner.token()), 200);
    assertThat(list.body()).doesNotContain(customer.accountId()).doesNotContain("Secret Sawmill");

    PageClient page = new PageClient(app.baseUrl());
    page.signIn(partner.email(), "password-123");
    HttpResponse<String> customers = page.get("/partner/customers");
    assertThat(customers.statusCode()).isEqualTo(200);
    assertThat(customers.body()).contains(customer.email()).doesNotContain("Secret Sawmill")
        .doesNotContain(customer.accountId());
  }

  @Test
  @DisplayName("Inviting by account id does not show the owner's e-mail, in the reply, the list or the page")
  void inviteByIdRevealsNoOwner() {
    PartnerUser partner = api.signUpPartner("Nosy Networks");
    Customer customer = api.signUpCustomer("Private Pottery", null);
    Reply r = expect(invite(api, partner, new JsonObject().put("accountId", customer.accountId())), 201);
    assertThat(r.body()).doesNotContain(customer.email()).doesNotContain("Private Pottery");
    assertThat(r.json().getValue("sentTo")).isNull();
    assertThat(r.json().getBoolean("emailSent")).isTrue();
    assertThat(expect(api.get("/api/v1/partner/invites", partner.token()), 200).body())
        .doesNotContain(customer.email()).doesNotContain("Private Pottery");
    PageClient page = new PageClient(app.baseUrl());
    page.signIn(partner.email(), "password-123");
    assertThat(page.get("/partner/customers").body()).doesNotContain(customer.email()).doesNotContain("Private Pottery");
  }

  @Test
  @DisplayName("One pending invite per partner and account: inviting again sends the pending one again (200, same id)")
  void invitingAgainResends() {
    PartnerUser partner = api.signUpPartner("Persistent Partners");
    Customer customer = api.signUpCustomer("Pestered Pub", null);
    Reply first = expect(invite(api, partner, new JsonObject().put("accountId", customer.accountId())), 201);
    api.advanceClock(1);
    Reply again = expect(invite(api, partner, new JsonObject().put("accountId", customer.accountId())), 200);
    assertThat(again.json().getString("id")).isEqualTo(first.json().getString("id"));
    assertThat(Instant.parse(again.json().getString("expiresAt")))
        .isAfter(Instant.parse(first.json().getString("expiresAt")));
    String email = ApiClient.uniqueEmail("twice");
    Reply byEmail = expect(invite(api, partner, new JsonObject().put("email", email)), 201);
    Reply byEmailAgain = expect(invite(api, partner, new JsonObject().put("email", email.toUpperCase())), 200);
    assertThat(byEmailAgain.json().getString("id")).isEqualTo(byEmail.json().getString("id"));

    JsonArray pending = expect(api.get("/api/v1/account/partner-invites", customer.token()), 200).array("invites");
    assertThat(pending).hasSize(1);
  }

  @Test
  @DisplayName("Per partner at most limits.invitesPerHour invites and limits.resendsPerHour resends: beyond, 429 with Retry-After")
  void invitesAndResendsAreRateLimited() {
    try (TestApp limited = TestApp.start(new JsonObject().put("limits", new JsonObject()
        .put("invitesPerHour", 3).put("resendsPerHour", 2)), app.databaseUrl, app.clock)) {
      ApiClient client = limited.api();
      PartnerUser partner = client.signUpPartner("Spammy Sales");
      String last = null;
      for (int i = 0; i < 3; i++) {
        last = expect(invite(client, partner, new JsonObject().put("email", ApiClient.uniqueEmail("target"))), 201)
            .json().getString("id");
      }
      Reply refused = invite(client, partner, new JsonObject().put("email", ApiClient.uniqueEmail("target")));
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.reason()).isEqualTo("TOO_MANY_ATTEMPTS");
      assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 3600L);
      for (int i = 0; i < 2; i++) {
        expect(client.post("/api/v1/partner/invites/" + last + "/resend", partner.token(), null), 200);
      }
      Reply resend = client.post("/api/v1/partner/invites/" + last + "/resend", partner.token(), null);
      assertThat(resend.status()).isEqualTo(429);
      assertThat(resend.header("Retry-After")).isNotBlank();
      // another partner is not affected; and the window passes
      PartnerUser other = client.signUpPartner("Quiet Quarries");
      expect(invite(client, other, new JsonObject().put("email", ApiClient.uniqueEmail("target"))), 201);
      client.advanceClock(61.0 / (24 * 60));
      expect(invite(client, partner, new JsonObject().put("email", ApiClient.uniqueEmail("target"))), 201);
      expect(client.post("/api/v1/partner/invites/" + last + "/resend", partner.token(), null), 200);
    }
  }

  @Test
  @DisplayName("The account's invite list comes in pages (limit, cursor; at most 100), newest first")
  void accountInviteListIsPaged() {
    Customer customer = api.signUpCustomer("Popular Plumbing", null);
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < 7; i++) {
      PartnerUser p = api.signUpPartner("Suitor " + i);
      sent.add(expect(invite(api, p, new JsonObject().put("accountId", customer.accountId())), 201).json().getString("id"));
    }
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      Reply page = expect(api.get("/api/v1/account/partner-invites?limit=3"
          + (cursor == null ? "" : "&cursor=" + cursor), customer.token()), 200);
      JsonArray invites = page.array("invites");
      assertThat(invites.size()).isBetween(1, 3);
      invites.forEach(o -> assertThat(seen.add(((JsonObject) o).getString("id"))).isTrue());
      cursor = page.json().getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).isEqualTo(sent);
    assertThat(api.get("/api/v1/account/partner-invites?limit=101", customer.token()).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/account/partner-invites?cursor=not-a-cursor", customer.token()).status()).isEqualTo(400);
    Reply all = expect(api.get("/api/v1/account/partner-invites", customer.token()), 200);
    assertThat(all.array("invites")).hasSize(7);
    assertThat(all.json().getValue("nextCursor")).isNull();
  }
}
