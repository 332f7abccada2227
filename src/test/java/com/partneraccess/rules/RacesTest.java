package com.partneraccess.rules;

import com.partneraccess.rules.RuleFixtures.Connected;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.ApiClient.Reply;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static com.partneraccess.rules.RuleFixtures.assertRefused;
import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Concurrent changes have exactly one winner (R2, R16)")
class RacesTest extends RuleTestBase {
  /** Sends {@code n} requests at once (released together by a latch) and returns every reply. */
  static List<Reply> concurrently(int n, IntFunction<Reply> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Reply>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          go.await();
          return call.apply(index);
        }));
      }
      go.countDown();
      List<Reply> replies = new ArrayList<>();
      for (Future<Reply> f : futures) {
        replies.add(f.get(60, TimeUnit.SECONDS));
      }
      return replies;
    } finally {
      pool.shutdownNow();
    }
  }

  private static long count(List<Reply> replies, int status) {
    return replies.stream().filter(r -> r.status() == status).count();
  }

  private Connected disabledWithRequest(String name, String[] requestId) {
    Connected c = fx.connected(name);
    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    requestId[0] = fx.requestAccessId(c.partner(), c.accountId());
    return c;
  }

  @Test
  @DisplayName("R16 50 concurrent approvals of one request: one 200, 49 REQUEST_NOT_PENDING, one activity row, one change")
  void fiftyApprovals() throws Exception {
    // R16
    String[] request = new String[1];
    Connected c = disabledWithRequest("Race Approve", request);
    List<Reply> replies = concurrently(50, i -> fx.approve(c.customer().token(), request[0]));
    assertThat(count(replies, 200)).as("%s", replies).isEqualTo(1);
    replies.stream().filter(r -> r.status() != 200).forEach(r -> assertRefused(r, 409, "REQUEST_NOT_PENDING"));
    assertThat(fx.activityCount(c.customer(), "request.approved")).isEqualTo(1);
    assertThat(fx.activityCount(c.customer(), "access.enabled")).isZero();
    assertThat(fx.partnerBanners(c.partner()).stream().filter(b -> "request_approved".equals(b.getString("kind"))))
        .hasSize(1);
    assertThat(fx.accessRequests(c.customer(), "approved")).hasSize(1);
    assertThat(api.customerOf(c.partner(), c.accountId()).getString("access")).isEqualTo("enabled");
  }

  @Test
  @DisplayName("R16 Approvals racing denials: exactly one decision wins and access matches it")
  void approveRacingDeny() throws Exception {
    // R16
    String[] request = new String[1];
    Connected c = disabledWithRequest("Race Decide", request);
    List<Reply> replies = concurrently(20, i -> i % 2 == 0 ? fx.approve(c.customer().token(), request[0])
        : fx.deny(c.customer().token(), request[0]));
    assertThat(count(replies, 200)).as("%s", replies).isEqualTo(1);
    replies.stream().filter(r -> r.status() != 200).forEach(r -> assertRefused(r, 409, "REQUEST_NOT_PENDING"));
    String winner = replies.stream().filter(r -> r.status() == 200).findFirst().orElseThrow().json().getString("status");
    long approved = fx.activityCount(c.customer(), "request.approved");
    long denied = fx.activityCount(c.customer(), "request.denied");
    assertThat(approved + denied).isEqualTo(1);
    String access = api.customerOf(c.partner(), c.accountId()).getString("access");
    if ("approved".equals(winner)) {
      assertThat(approved).isEqualTo(1);
      assertThat(access).isEqualTo("enabled");
    } else {
      assertThat(denied).isEqualTo(1);
      assertThat(access).isEqualTo("disabled");
    }
    assertThat(fx.accessRequests(c.customer(), winner)).hasSize(1);
  }

  @Test
  @DisplayName("R16 20 concurrent access requests: one pending request, one banner, one activity row")
  void twentyRequests() throws Exception {
    // R16
    Connected c = fx.connected("Race Request");
    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    List<Reply> replies = concurrently(20, i -> fx.requestAccess(c.partner(), c.accountId()));
    assertThat(count(replies, 201)).as("%s", replies).isEqualTo(1);
    assertThat(count(replies, 200)).as("%s", replies).isEqualTo(19);
    assertThat(replies.stream().map(r -> r.json().getString("requestId")).distinct()).hasSize(1);
    assertThat(fx.accessRequests(c.customer(), null)).hasSize(1);
    assertThat(fx.accountBanners(c.customer().token())).hasSize(1);
    assertThat(fx.activityCount(c.customer(), "access.requested")).isEqualTo(1);
  }

  @Test
  @DisplayName("R2 Concurrent accepts of one invite make one connection")
  void concurrentAccepts() throws Exception {
    // R2
    PartnerUser partner = api.signUpPartner("Race Invite");
    Customer customer = api.signUpCustomer("Race Invitee", null);
    String invite = fx.invite(partner, customer.accountId());
    List<Reply> replies = concurrently(20, i -> fx.accept(customer.token(), invite));
    assertThat(count(replies, 200)).as("%s", replies).isEqualTo(1);
    replies.stream().filter(r -> r.status() != 200).forEach(r -> assertRefused(r, 409, "INVITE_NOT_PENDING"));
    assertThat(fx.partnersInStaffList(customer)).hasSize(1);
    assertThat(fx.activityCount(customer, "partner.connected")).isEqualTo(1);
    assertThat(fx.profile(partner).getInteger("connectedCustomers")).isEqualTo(1);
  }

  @Test
  @DisplayName("R2 Two invites of the same partner accepted at once still make one connection")
  void twoInvitesAtOnce() throws Exception {
    // R2, R1
    PartnerUser partner = api.signUpPartner("Race Twice");
    Customer customer = api.signUpCustomer("Race Twice Ltd", null);
    // one by account id and one by the owner's address: two pending invites of one partner to one account
    String[] invites = {fx.invite(partner, customer.accountId()), fx.inviteByEmail(partner, customer.email())};
    List<Reply> replies = concurrently(10, i -> fx.accept(customer.token(), invites[i % 2]));
    assertThat(count(replies, 200)).as("%s", replies).isEqualTo(1);
    replies.stream().filter(r -> r.status() != 200).forEach(r -> assertThat(r.reason()).as("%s", r)
        .isIn("INVITE_NOT_PENDING", "ALREADY_CONNECTED"));
    assertThat(fx.partnersInStaffList(customer)).hasSize(1);
    assertThat(fx.activityCount(customer, "partner.connected")).isEqualTo(1);
  }

  @Test
  @DisplayName("R7 Concurrent enable and disable calls leave one consistent state and one activity row per real change")
  void toggles() throws Exception {
    // R7
    Connected c = fx.connected("Race Toggle");
    List<Reply> replies = concurrently(20, i -> api.setAccess(c.customer(), c.partnerId(), false));
    assertThat(count(replies, 200)).isEqualTo(20);
    assertThat(fx.activityCount(c.customer(), "access.disabled")).isEqualTo(1);
    assertThat(fx.partnerBanners(c.partner())).hasSize(1);
    assertThat(api.customerOf(c.partner(), c.accountId()).getString("access")).isEqualTo("disabled");
  }
}
