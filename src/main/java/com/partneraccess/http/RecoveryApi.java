package com.partneraccess.http;

import com.partneraccess.authz.Principal;
import com.partneraccess.identity.RecoveryService;
import com.partneraccess.identity.TokenService;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/** The JSON adapter of account recovery and the signed-in user's settings: parse, {@link RecoveryService}, JSON. */
public final class RecoveryApi {
  private final RecoveryService recovery;
  private final TokenService tokens;

  public RecoveryApi(RecoveryService recovery, TokenService tokens) {
    this.recovery = recovery;
    this.tokens = tokens;
  }

  public void mount(RouterBuilder rb) {
    rb.getRoute("requestPasswordReset").addHandler(Api.handle(ctx -> recovery
        .requestReset(Api.body(ctx).getString("email"), IdentityApi.remote(ctx))
        .compose(answer -> Api.accepted(ctx, new JsonObject().put("message", answer)))));
    rb.getRoute("confirmPasswordReset").addHandler(Api.handle(ctx -> {
      JsonObject b = Api.body(ctx);
      return recovery.resetPassword(b.getString("token"), b.getString("password"))
          .compose(p -> Api.ok(ctx, signedIn(p).put("passwordChanged", true)));
    }));
    rb.getRoute("getMySettings").addHandler(Api.handle(ctx -> recovery.settings(Api.requireSignedIn(ctx))
        .compose(s -> Api.ok(ctx, new JsonObject().put("name", s.name()).put("email", s.email())
            .put("pendingEmail", s.pendingEmail()).put("organisation", s.organisation())
            .put("kind", s.partner() ? "partner" : "customer")))));
    rb.getRoute("changeMyName").addHandler(Api.handle(ctx -> recovery
        .changeName(Api.requireSignedIn(ctx), Api.body(ctx).getString("name"))
        .compose(p -> Api.ok(ctx, new JsonObject().put("name", p.name())))));
    rb.getRoute("changeMyEmail").addHandler(Api.handle(ctx -> {
      JsonObject b = Api.body(ctx);
      return recovery.changeEmail(Api.requireSignedIn(ctx), b.getString("email"), b.getString("currentPassword"))
          .compose(sent -> Api.accepted(ctx, new JsonObject().put("pendingEmail", sent.email())
              .put("expiresAt", sent.expiresAt()).put("emailSent", sent.emailSent())));
    }));
    rb.getRoute("changeMyPassword").addHandler(Api.handle(ctx -> {
      JsonObject b = Api.body(ctx);
      return recovery.changePassword(Api.requireSignedIn(ctx), b.getString("currentPassword"), b.getString("password"))
          .compose(p -> Api.ok(ctx, signedIn(p).put("passwordChanged", true)));
    }));
    rb.getRoute("confirmEmailChange").addHandler(Api.handle(ctx -> recovery
        .confirmEmail(Api.body(ctx).getString("token"))
        .compose(c -> Api.ok(ctx, new JsonObject().put("email", c.email())))));
    rb.getRoute("renamePartnerOrganisation").addHandler(Api.handle(ctx -> recovery
        .changeOrganisation(Api.requireSignedIn(ctx), Api.body(ctx).getString("name"))
        .compose(name -> Api.ok(ctx, new JsonObject().put("organisation", name)))));
  }

  /** A fresh token: every earlier session of the user has just ended. */
  private JsonObject signedIn(Principal p) {
    return new JsonObject().put("token", tokens.issue(p)).put("tokenType", "Bearer").put("expiresIn", tokens.tokenSeconds());
  }
}
