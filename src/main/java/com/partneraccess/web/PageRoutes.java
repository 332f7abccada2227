package com.partneraccess.web;

import com.partneraccess.access.AccessClient;
import com.partneraccess.accounts.AccountActors;
import com.partneraccess.accounts.AccountRepository;
import com.partneraccess.accounts.StaffInviteRepository;
import com.partneraccess.activity.ActivityRepository;
import com.partneraccess.banner.BannerRepository;
import com.partneraccess.commission.CommissionRepository;
import com.partneraccess.config.AppConfig;
import com.partneraccess.connections.ConnectionRepository;
import com.partneraccess.http.FailureHandler;
import com.partneraccess.http.Plans;
import com.partneraccess.http.SessionCookie;
import com.partneraccess.identity.IdentityApi;
import com.partneraccess.identity.IdentityRepository;
import com.partneraccess.identity.PasswordHasher;
import com.partneraccess.identity.TokenService;
import com.partneraccess.invites.InviteMail;
import com.partneraccess.invites.InviteRepository;
import com.partneraccess.jobs.JobRepository;
import com.partneraccess.mail.Mailer;
import com.partneraccess.partners.PartnerApi;
import com.partneraccess.time.AppClock;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.sqlclient.Pool;

/**
 * The browser pages (server-rendered Pebble templates, one layout): sign-up, sign-in and sign-out, the
 * partner portal under {@code /partner}, the customer account under {@code /app} (for its users and for a
 * partner logged in to it), static files under {@code /static}. Pages call the same repositories and
 * services as the JSON API; a partner inside an account goes through the access check on every request.
 * Reads {@code http.publicUrl} (cookie security), {@code auth.*}, {@code policy.*} and {@code commission.*}.
 */
public final class PageRoutes {
  private final Web web;
  private final PageErrors errors;
  private final AuthPages auth;
  private final PartnerPages partner;
  private final AccountPages account;

  public PageRoutes(Vertx vertx, Pool pool, AppConfig config, AppClock clock, Mailer mailer) {
    String publicUrl = config.http().publicUrl();
    TokenService tokens = new TokenService(vertx, config.auth());
    PasswordHasher hasher = new PasswordHasher(vertx, config.auth().bcryptCost());
    Plans plans = new Plans(config.commission().plans());
    AccessClient access = new AccessClient(vertx);
    IdentityRepository identity = new IdentityRepository(pool, clock);
    AccountRepository accounts = new AccountRepository(pool, clock);
    ConnectionRepository connections = new ConnectionRepository(pool, clock, config.policy().jobThreshold());
    InviteRepository invites = new InviteRepository(pool, clock, config.policy().inviteDays());
    BannerRepository banners = new BannerRepository(pool, clock);
    CommissionRepository commission = new CommissionRepository(pool, clock, config.commission(), config.credits());
    InviteMail inviteMail = new InviteMail(mailer, publicUrl);
    IdentityApi identityApi = new IdentityApi(identity, accounts, hasher, tokens, plans, publicUrl,
        new StaffInviteRepository(pool, clock, config.policy().inviteDays()));
    PartnerApi partnerApi = new PartnerApi(pool, clock, connections, accounts, invites, identity, commission,
        banners, access, hasher, identityApi, plans, inviteMail);

    this.web = new Web(vertx, new SessionCookie(publicUrl), tokens, config.auth().jwtSecret(),
        publicUrl != null && publicUrl.startsWith("https://"));
    this.errors = new PageErrors(web);
    this.auth = new AuthPages(web, identityApi, identity, plans);
    this.partner = new PartnerPages(web, clock, identity, identityApi, partnerApi, connections, invites, inviteMail,
        commission, plans, config.commission().currency());
    this.account = new AccountPages(vertx, web, hasher, new AccountActors(accounts, access), identity, accounts,
        connections, invites, banners, new JobRepository(pool, clock), new ActivityRepository(pool), plans);
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
    account.mount(m);
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
