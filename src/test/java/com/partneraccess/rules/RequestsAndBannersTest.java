package com.partneraccess.rules;

import com.partneraccess.rules.RuleFixtures.Connected;
import com.partneraccess.rules.RuleFixtures.StaffUser;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Reply;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.partneraccess.rules.RuleFixtures.assertRefused;
import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Access requests and stored banners (R16, R17)")
class RequestsAndBannersTest extends RuleTestBase {
  private Connected disabled(String name) {
    Connected c = fx.connected(name);
    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    return c;
  }

  private static List<String> kinds(List<JsonObject> banners) {
    return banners.stream().map(b -> b.getString("kind")).toList();
  }

  // ---- R16 ------------------------------------------------------------------------------------

  @Test
  @DisplayName("R16 A disabled partner requests access: the customer sees a banner with the request; asking again changes nothing")
  void requestRaisesOneBanner() {
    // R16
    Connected c = disabled("R16 Ask");
    Reply first = fx.requestAccess(c.partner(), c.accountId());
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.json().getBoolean("created")).isTrue();
    String requestId = first.json().getString("requestId");

    Reply again = fx.requestAccess(c.partner(), c.accountId());
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().getBoolean("created")).isFalse();
    assertThat(again.json().getString("requestId")).isEqualTo(requestId);

    List<JsonObject> banners = fx.accountBanners(c.customer().token());
    assertThat(banners).hasSize(1);
    assertThat(banners.get(0).getString("kind")).isEqualTo("access_requested");
    assertThat(banners.get(0).getString("message")).isEqualTo(
        "R16 Ask Partners has requested access to your account until the 60-day rule. Reason: To help with the month's books");
    assertThat(banners.get(0).getString("requestId")).isEqualTo(requestId);
    assertThat(fx.accessRequests(c.customer(), "pending")).extracting(r -> r.getString("id")).containsExactly(requestId);
    assertThat(fx.activityCount(c.customer(), "access.requested")).isEqualTo(1);
    JsonObject line = api.customerOf(c.partner(), c.accountId());
    assertThat(line.getString("pendingRequestId")).isEqualTo(requestId);
    assertThat(line.getBoolean("canRequestAccess")).isFalse();
  }

  @Test
  @DisplayName("R16 Approving enables access; the request banner goes and the partner sees the outcome")
  void approve() {
    // R16
    Connected c = disabled("R16 Approve");
    String requestId = fx.requestAccessId(c.partner(), c.accountId());
    JsonObject approved = expect(fx.approve(c.customer().token(), requestId), 200).json();
    assertThat(approved.getString("status")).isEqualTo("approved");
    assertThat(approved.getString("access")).isEqualTo("enabled");
    assertThat(fx.accountBanners(c.customer().token())).isEmpty();
    assertThat(kinds(fx.partnerBanners(c.partner()))).contains("request_approved");
    JsonObject line = api.customerOf(c.partner(), c.accountId());
    assertThat(line.getString("access")).isEqualTo("enabled");
    assertThat(line.getString("pendingRequestId")).isNull();
    assertThat(fx.accessRequests(c.customer(), "approved")).hasSize(1);
    expect(fx.logIn(c.partner(), c.accountId()), 201);
    assertRefused(fx.approve(c.customer().token(), requestId), 409, "REQUEST_NOT_PENDING");
    assertRefused(fx.requestAccess(c.partner(), c.accountId()), 409, "ACCESS_ALREADY_ENABLED");
  }

  @Test
  @DisplayName("R16 Denying leaves access as it was; the partner sees the outcome and may ask again")
  void deny() {
    // R16
    Connected c = disabled("R16 Deny");
    String requestId = fx.requestAccessId(c.partner(), c.accountId());
    JsonObject denied = expect(fx.deny(c.customer().token(), requestId), 200).json();
    assertThat(denied.getString("status")).isEqualTo("denied");
    assertThat(denied.getString("access")).isEqualTo("disabled");
    assertThat(api.customerOf(c.partner(), c.accountId()).getString("access")).isEqualTo("disabled");
    assertRefused(fx.logIn(c.partner(), c.accountId()), 403, "ACCESS_DISABLED");
    assertThat(fx.accountBanners(c.customer().token())).isEmpty();
    assertThat(kinds(fx.partnerBanners(c.partner()))).contains("request_denied");
    assertRefused(fx.approve(c.customer().token(), requestId), 409, "REQUEST_NOT_PENDING");
    String second = fx.requestAccessId(c.partner(), c.accountId());
    assertThat(second).isNotEqualTo(requestId);
  }

  @Test
  @DisplayName("R16 A partner whose access is enabled has nothing to request; an unconnected partner cannot request")
  void onlyWhenDisabledOrExpired() {
    // R16
    Connected c = fx.connected("R16 Enabled");
    assertRefused(fx.requestAccess(c.partner(), c.accountId()), 409, "ACCESS_ALREADY_ENABLED");
    ApiClient.PartnerUser stranger = api.signUpPartner("R16 Stranger");
    assertRefused(fx.requestAccess(stranger, c.accountId()), 403, "NOT_CONNECTED");
    assertRefused(api.post("/api/v1/partner/customers/" + c.accountId() + "/access-requests", c.customer().token(), null),
        403, "PARTNER_ONLY");
    assertThat(fx.accessRequests(c.customer(), null)).isEmpty();
    assertThat(fx.accountBanners(c.customer().token())).isEmpty();
  }

  @Test
  @DisplayName("R16 Enabling access directly settles a pending request")
  void enablingSettlesTheRequest() {
    // R16, R7
    Connected c = disabled("R16 Direct");
    fx.requestAccessId(c.partner(), c.accountId());
    expect(api.setAccess(c.customer(), c.partnerId(), true), 200);
    assertThat(fx.accessRequests(c.customer(), "pending")).isEmpty();
    assertThat(fx.accountBanners(c.customer().token())).isEmpty();
    assertThat(api.customerOf(c.partner(), c.accountId()).getString("pendingRequestId")).isNull();
  }

  // ---- R17 ------------------------------------------------------------------------------------

  @Test
  @DisplayName("R17 Banners are stored: a page opened later lists them, for the account and for the partner")
  void bannersAreStored() {
    // R17
    Connected c = fx.connected("R17 Stored");
    StaffUser admin = fx.staff(c.customer(), "admin");
    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    String requestId = fx.requestAccessId(c.partner(), c.accountId());
    // read later, by another manager of the account, with no socket open
    List<JsonObject> account = fx.accountBanners(admin.token());
    assertThat(account).extracting(b -> b.getString("requestId")).containsExactly(requestId);
    assertThat(account.get(0).getString("partnerId")).isEqualTo(c.partnerId());
    assertThat(account.get(0).getString("accountId")).isEqualTo(c.accountId());
    assertThat(account.get(0).getString("createdAt")).isNotNull();
    List<JsonObject> partner = fx.partnerBanners(c.partner());
    assertThat(kinds(partner)).containsExactly("access_disabled");
    assertThat(partner.get(0).getString("message")).isEqualTo("R17 Stored Ltd disabled your access");
  }

  @Test
  @DisplayName("R17 A dismissed banner stays dismissed, for the account and for the partner")
  void dismissStaysDismissed() {
    // R17
    Connected c = disabled("R17 Dismiss");
    fx.requestAccessId(c.partner(), c.accountId());
    String accountBanner = fx.accountBanners(c.customer().token()).get(0).getString("id");
    expect(api.post("/api/v1/account/banners/" + accountBanner + "/dismiss", c.customer().token(), null), 200);
    assertThat(fx.accountBanners(c.customer().token())).isEmpty();
    // dismissing again is harmless, and the request itself is still pending
    expect(api.post("/api/v1/account/banners/" + accountBanner + "/dismiss", c.customer().token(), null), 200);
    assertThat(fx.accessRequests(c.customer(), "pending")).hasSize(1);
    // asking again does not bring the dismissed banner back
    expect(fx.requestAccess(c.partner(), c.accountId()), 200);
    assertThat(fx.accountBanners(c.customer().token())).isEmpty();

    String partnerBanner = fx.partnerBanners(c.partner()).get(0).getString("id");
    expect(api.post("/api/v1/partner/banners/" + partnerBanner + "/dismiss", c.partner().token(), null), 200);
    assertThat(fx.partnerBanners(c.partner())).isEmpty();
    expect(api.setAccess(c.customer(), c.partnerId(), true), 200);
    assertThat(fx.partnerBanners(c.partner())).extracting(b -> b.getString("id")).doesNotContain(partnerBanner)
        .hasSize(1);
  }

  @Test
  @DisplayName("R17 Nobody dismisses another's banners: other accounts, other partners and partners inside the account get 404 or 403")
  void bannersBelongToTheirAudience() {
    // R17
    Connected c = disabled("R17 Mine");
    Connected other = fx.connected("R17 Theirs");
    fx.requestAccessId(c.partner(), c.accountId());
    String accountBanner = fx.accountBanners(c.customer().token()).get(0).getString("id");
    String partnerBanner = fx.partnerBanners(c.partner()).get(0).getString("id");

    assertRefused(api.post("/api/v1/account/banners/" + accountBanner + "/dismiss", other.customer().token(), null), 404, "NOT_FOUND");
    assertRefused(api.post("/api/v1/partner/banners/" + partnerBanner + "/dismiss", other.partner().token(), null), 404, "NOT_FOUND");
    assertRefused(api.post("/api/v1/partner/banners/" + accountBanner + "/dismiss", c.partner().token(), null), 404, "NOT_FOUND");
    assertRefused(api.post("/api/v1/account/banners/" + partnerBanner + "/dismiss", c.customer().token(), null), 404, "NOT_FOUND");
    String otherSession = api.session(other.partner(), other.accountId());
    assertRefused(api.get("/api/v1/account/banners", otherSession), 403, "CUSTOMER_ONLY");
    assertThat(fx.accountBanners(c.customer().token())).hasSize(1);
    assertThat(fx.partnerBanners(c.partner())).hasSize(1);
  }
}
