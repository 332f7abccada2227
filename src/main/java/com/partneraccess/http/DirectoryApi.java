package com.partneraccess.http;

import com.partneraccess.accounts.AccountActors;
import com.partneraccess.directory.DirectoryService;
import com.partneraccess.directory.Lead;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON adapter of the partner directory: the partner's listing and leads (portal), and inside a customer account
 * the search and "Contact me". Parse, call {@link DirectoryService} (which authorises, validates and limits), write JSON.
 */
public final class DirectoryApi {
  private final AccountActors actors;
  private final DirectoryService directory;

  public DirectoryApi(AccountActors actors, DirectoryService directory) {
    this.actors = actors;
    this.directory = directory;
  }

  public void mount(RouterBuilder rb) {
    rb.getRoute("getListing").addHandler(Api.handle(ctx -> directory.listing(Api.principal(ctx))
        .compose(l -> Api.ok(ctx, l.toJson()))));
    rb.getRoute("saveListing").addHandler(Api.handle(ctx -> {
      JsonObject b = Api.body(ctx);
      JsonArray services = b.getJsonArray("services");
      List<String> tags = new ArrayList<>();
      if (services != null) {
        services.forEach(s -> tags.add(s instanceof String t ? t : String.valueOf(s)));
      }
      return directory.saveListing(Api.principal(ctx), new DirectoryService.SaveListing(b.getBoolean("listed"),
          b.getString("region"), services == null ? null : tags, b.getString("description")))
          .compose(l -> Api.ok(ctx, l.toJson()));
    }));
    rb.getRoute("listLeads").addHandler(Api.handle(ctx -> directory.leads(Api.principal(ctx),
            new DirectoryService.LeadPageRequest(Api.intQuery(ctx, "limit", null), ctx.request().getParam("cursor")))
        .compose(page -> {
          JsonArray leads = new JsonArray();
          page.leads().forEach(l -> leads.add(l.toJson()));
          return Api.ok(ctx, new JsonObject().put("leads", leads).put("nextCursor", page.nextCursor()));
        })));
    rb.getRoute("markLeadHandled").addHandler(Api.handle(ctx -> directory.markHandled(Api.principal(ctx),
        Api.pathId(ctx, "leadId")).compose(l -> Api.ok(ctx, l.toJson()))));
    rb.getRoute("inviteFromLead").addHandler(Api.handle(ctx -> directory.inviteFromLead(Api.principal(ctx),
        Api.pathId(ctx, "leadId")).compose(r -> {
          JsonObject json = new JsonObject().put("lead", r.lead().toJson()).put("invite", r.invite().invite());
          return r.invite().resent() ? Api.ok(ctx, json) : Api.created(ctx, json);
        })));

    rb.getRoute("searchPartnerDirectory").addHandler(Api.handle(ctx -> actors.resolve(Api.principal(ctx))
        .compose(actor -> directory.search(actor, new DirectoryService.Search(ctx.request().getParam("region"),
            ctx.request().getParam("service"), Api.intQuery(ctx, "page", null), Api.intQuery(ctx, "limit", null))))
        .compose(page -> {
          JsonArray partners = new JsonArray();
          page.partners().forEach(e -> partners.add(e.toJson()));
          return Api.ok(ctx, new JsonObject().put("partners", partners).put("page", page.page())
              .put("limit", page.limit()).put("hasMore", page.hasMore()));
        })));
    rb.getRoute("contactPartner").addHandler(Api.handle(ctx -> actors.resolve(Api.principal(ctx))
        .compose(actor -> directory.contact(actor, Api.pathId(ctx, "partnerId"), Api.body(ctx).getString("message")))
        .compose(sent -> Api.created(ctx, customerView(sent.lead()).put("partnerName", sent.partnerName())))));
  }

  /** What the customer sees of the lead it sent (the partner's handling is the partner's). */
  private static JsonObject customerView(Lead lead) {
    return new JsonObject().put("id", lead.id().toString()).put("partnerId", lead.partnerId().toString())
        .put("message", lead.message()).put("createdAt", lead.createdAt());
  }
}
