package com.partneraccess.http;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.TestApp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Responses match the schemas the OpenAPI document promises")
class ResponseContractTest {
  static TestApp app;
  static ApiClient api;
  static ResponseValidator validator;
  static final List<String> checked = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    app = TestApp.start();
    api = app.api();
    OpenAPIContract contract = OpenAPIContract.from(app.vertx, ApiContract.readForRouter()).await();
    validator = ResponseValidator.create(app.vertx, contract);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** Validates a reply against its operation's response (errors against the Problem schema). */
  private static Reply valid(String operationId, Reply r) {
    String type = r.header("Content-Type");
    if (r.status() >= 400) {
      assertThat(type).as(operationId + " " + r).isEqualTo("application/problem+json");
      type = "application/json"; // the router's copy of the contract lists problem bodies as JSON
    }
    try {
      validator.validate(ValidatableResponse.create(r.status(), Buffer.buffer(r.body()), type), operationId).await();
    } catch (Exception e) {
      throw new AssertionError(operationId + " answered outside its contract: " + e.getMessage() + "\n" + r, e);
    }
    checked.add(operationId);
    return r;
  }

  @Test
  @DisplayName("A whole journey's replies, successes and refusals, validate against the document")
  void journey() {
    PartnerUser partner = api.signUpPartner("Contract Partners");
    Customer customer = api.signUpCustomer("Contract Cafe", null);
    valid("issueToken", expect(api.post("/api/v1/auth/token", null,
        new JsonObject().put("email", customer.email()).put("password", "password-123")), 200));
    Reply invite = valid("createInvite", expect(api.post("/api/v1/partner/invites", partner.token(),
        new JsonObject().put("accountId", customer.accountId())), 201));
    valid("listInvites", expect(api.get("/api/v1/partner/invites", partner.token()), 200));
    valid("listPartnerInvites", expect(api.get("/api/v1/account/partner-invites", customer.token()), 200));
    valid("resendInvite", expect(api.post("/api/v1/partner/invites/" + invite.json().getString("id") + "/resend",
        partner.token(), null), 200));
    expect(api.post("/api/v1/account/partner-invites/" + invite.json().getString("id") + "/accept", customer.token(),
        null), 200);
    valid("listCustomers", expect(api.get("/api/v1/partner/customers", partner.token()), 200));
    String session = valid("logInToCustomer", expect(api.post("/api/v1/partner/customers/" + customer.accountId()
        + "/sessions", partner.token(), null), 201)).json().getString("token");
    expect(api.createJobs(session, 3), 201);
    valid("listJobs", expect(api.get("/api/v1/account/jobs", session), 200));
    valid("listStaff", expect(api.get("/api/v1/account/staff", customer.token()), 200));
    expect(api.setAccess(customer, partner.partnerId(), false), 200);
    valid("requestAccess", expect(api.post("/api/v1/partner/customers/" + customer.accountId() + "/access-requests",
        partner.token(), new JsonObject().put("reason", "To close the month")), 201));
    valid("requestAccess", expect(api.post("/api/v1/partner/customers/" + customer.accountId() + "/access-requests",
        partner.token(), new JsonObject().put("reason", "To close the month")), 200));
    valid("listAccessRequests", expect(api.get("/api/v1/account/access-requests", customer.token()), 200));
    Reply banners = valid("listAccountBanners", expect(api.get("/api/v1/account/banners", customer.token()), 200));
    assertThat(banners.array("banners")).isNotEmpty();
    valid("listPartnerBanners", expect(api.get("/api/v1/partner/banners", partner.token()), 200));
    valid("getPartnerProfile", expect(api.get("/api/v1/partner/profile", partner.token()), 200));
    valid("getCommission", expect(api.get("/api/v1/partner/commission", partner.token()), 200));
    valid("listActivity", expect(api.get("/api/v1/account/activity", customer.token()), 200));

    // refusals are problems with a reason
    valid("logInToCustomer", expect(api.post("/api/v1/partner/customers/" + customer.accountId() + "/sessions",
        partner.token(), null), 403));
    valid("listActivity", expect(api.get("/api/v1/account/activity", session), 403));
    valid("issueToken", expect(api.post("/api/v1/auth/token", null,
        new JsonObject().put("email", customer.email()).put("password", "not-the-password")), 401));
    valid("createInvite", expect(api.post("/api/v1/partner/invites", partner.token(), new JsonObject()
        .put("accountId", customer.accountId())), 409));
    assertThat(checked).hasSize(21);

    // and the check has teeth: a Customers reply is not a list of jobs
    Reply customers = expect(api.get("/api/v1/partner/customers", partner.token()), 200);
    org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> valid("listJobs", customers));
  }

  @Test
  @DisplayName("R27 The notification centre's replies, successes and refusals, validate against the document")
  void notificationReplies() throws Exception {
    PartnerUser partner = api.signUpPartner("Contract Notified Partners");
    Customer customer = api.signUpCustomer("Contract Notified Ltd", null);
    api.connectByInvite(partner, customer);
    expect(api.setAccess(customer, partner.partnerId(), false), 200);
    JsonObject page = conforms("listNotifications", expect(api.get("/api/v1/notifications?limit=1", partner.token()), 200))
        .json();
    String id = page.getJsonArray("notifications").getJsonObject(0).getString("id");
    conforms("listNotifications", expect(api.get("/api/v1/notifications?cursor=" + page.getString("nextCursor"),
        partner.token()), 200));
    conforms("listNotifications", expect(api.get("/api/v1/notifications", null), 401));
    conforms("markNotificationRead", expect(api.post("/api/v1/notifications/" + id + "/read", partner.token(), null), 200));
    conforms("markNotificationRead", expect(api.post("/api/v1/notifications/" + id + "/read", customer.token(), null), 404));
    conforms("markAllNotificationsRead", expect(api.post("/api/v1/notifications/read-all", customer.token(), null), 200));
    conforms("getNotificationPreferences", expect(api.get("/api/v1/notifications/preferences", customer.token()), 200));
    conforms("setNotificationPreferences", expect(api.put("/api/v1/notifications/preferences", customer.token(),
        new JsonObject().put("preferences", new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("kind", "partner_logged_in").put("email", true)))), 200));
    conforms("setNotificationPreferences", expect(api.put("/api/v1/notifications/preferences", customer.token(),
        new JsonObject().put("preferences", new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("kind", "request_denied").put("email", true)))), 400));
  }

  /** Like {@link #valid} without counting the operation (the journey above counts its own). */
  private static Reply conforms(String operationId, Reply r) throws Exception {
    String type = r.status() >= 400 ? "application/json" : r.header("Content-Type");
    if (r.status() >= 400) {
      assertThat(r.header("Content-Type")).as(operationId + " " + r).isEqualTo("application/problem+json");
    }
    try {
      validator.validate(ValidatableResponse.create(r.status(), Buffer.buffer(r.body()), type), operationId).await();
    } catch (Exception e) {
      throw new AssertionError(operationId + " answered outside its contract: " + e.getMessage() + "\n" + r, e);
    }
    return r;
  }
}
