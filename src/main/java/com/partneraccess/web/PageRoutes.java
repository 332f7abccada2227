package com.partneraccess.web;

import com.partneraccess.Services;
import com.partneraccess.http.FailureHandler;
import com.partneraccess.http.SessionCookie;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The browser pages (server-rendered Pebble templates, one layout): sign-up, sign-in and sign-out, the
 * partner portal under {@code /partner}, the customer account under {@code /app} (for its users and for a
 * partner logged in to it), static files under {@code /static}. Pages call the same feature services as
 * the JSON API, so permissions and limits cannot differ; a partner inside an account goes through the access
 * check on every request.
 * Reads {@code http.publicUrl} (cookie security), {@code auth.*}, {@code policy.*} and {@code commission.*}.
 */
public final class PageRoutes {
  private final Web web;
  private final PageErrors errors;
  private final AuthPages auth;
  private final PartnerPages partner;
  private final CustomerListPage customerList;
  private final PartnerProgrammePages programme;
  private final AccountPages account;
  private final StaffPages staff;
  private final HandoverPages handover;
  private final NotificationPages notifications;
  private final TeamPages team;
  private final HistoryPages history;
  private final SettingsPages settings;
  private final DirectoryPages directory;
  private final ReviewPages reviews;

  public PageRoutes(Vertx vertx, Services s) {
    String publicUrl = s.config().http().publicUrl();
    this.web = new Web(vertx, new SessionCookie(publicUrl), s.tokens(), s.config().auth().jwtSecret(),
        publicUrl != null && publicUrl.startsWith("https://"), s.pool());
    InsideAccount inside = new InsideAccount(s.actors(), s.connections());
    this.errors = new PageErrors(web, inside);
    this.auth = new AuthPages(web, s.identity(), s.accounts(), s.identityRepository());
    this.partner = new PartnerPages(web, s.partners(), s.connections(), s.accessRequests(), s.invites());
    this.customerList = new CustomerListPage(web, s.partners(), s.connections(), s.invites());
    this.programme = new PartnerProgrammePages(web, s.partners(), s.commission(), s.config().commission().currency());
    this.account = new AccountPages(web, inside, s.accounts(), s.invites(), s.banners(), s.jobs(), s.activity());
    this.staff = new StaffPages(web, inside, s.accounts(), s.connections(), s.accessRequests(), s.invites());
    this.handover = new HandoverPages(web, s.partners(), s.connections(), s.accounts());
    this.notifications = new NotificationPages(web, inside, s.notifications());
    web.pageModel().countUnreadWith(s.notifications()::unread);
    this.team = new TeamPages(web, s.teams(), s.connections());
    this.history = new HistoryPages(web, inside, s.activity());
    this.settings = new SettingsPages(web, inside, s.recovery());
    this.directory = new DirectoryPages(web, inside, s.directory());
    this.reviews = new ReviewPages(web, inside, s.reviews());
  }

  /** The HTML error pages for {@link FailureHandler}. */
  public FailureHandler.PageRenderer errorPages() {
    return errors;
  }

  public void mount(Router root) {
    root.route("/static/*").handler(StaticHandler.create("webroot").setCachingEnabled(true).setMaxAgeSeconds(3600)
        .setIncludeHidden(false).setDirectoryListing(false));
    Handler<RoutingContext> prelude = web.prelude();
    Mount m = (method, path, handler) -> root.route(method, path).handler(prelude).handler(handler);
    auth.mount(m);
    partner.mount(m);
    customerList.mount(m);
    programme.mount(m);
    account.mount(m);
    staff.mount(m);
    handover.mount(m);
    notifications.mount(m);
    team.mount(m);
    history.mount(m);
    settings.mount(m);
    directory.mount(m);
    reviews.mount(m);
  }

  /** Adds one page route behind the prelude (session, CSRF, no-store). */
  @FunctionalInterface
  interface Mount {
    void route(HttpMethod method, String path, Handler<RoutingContext> handler);

    default void get(String path, Handler<RoutingContext> handler) {
      route(HttpMethod.GET, path, handler);
    }

    default void post(String path, Handler<RoutingContext> handler) {
      route(HttpMethod.POST, path, handler);
    }
  }
}
