package com.partneraccess;

import com.partneraccess.access.AccessClient;
import com.partneraccess.accounts.AccountActors;
import com.partneraccess.accounts.AccountRepository;
import com.partneraccess.accounts.ExpiryRuleRepository;
import com.partneraccess.accounts.StaffInviteRepository;
import com.partneraccess.accounts.StaffInvitations;
import com.partneraccess.activity.ActivityRepository;
import com.partneraccess.banner.BannerRepository;
import com.partneraccess.commission.CommissionRepository;
import com.partneraccess.config.AppConfig;
import com.partneraccess.connections.ConnectionRepository;
import com.partneraccess.http.Plans;
import com.partneraccess.identity.IdentityApi;
import com.partneraccess.identity.IdentityRepository;
import com.partneraccess.identity.PasswordHasher;
import com.partneraccess.identity.SignInThrottle;
import com.partneraccess.identity.TokenService;
import com.partneraccess.invites.InviteMail;
import com.partneraccess.invites.InviteRepository;
import com.partneraccess.jobs.JobRepository;
import com.partneraccess.mail.Mailer;
import com.partneraccess.partners.PartnerApi;
import com.partneraccess.time.AppClock;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/**
 * The repositories and services one HTTP verticle instance uses, built once from the pool, the
 * configuration and the clock, and shared by the JSON API and the pages.
 */
public record Services(
    AppConfig config,
    AppClock clock,
    Pool pool,
    Mailer mailer,
    TokenService tokens,
    PasswordHasher hasher,
    Plans plans,
    AccessClient access,
    IdentityRepository identity,
    AccountRepository accounts,
    AccountActors actors,
    ConnectionRepository connections,
    InviteRepository invites,
    InviteMail inviteMail,
    StaffInviteRepository staffInvites,
    StaffInvitations staffInvitations,
    BannerRepository banners,
    CommissionRepository commission,
    JobRepository jobs,
    ActivityRepository activity,
    ExpiryRuleRepository expiryRules,
    IdentityApi identityApi,
    PartnerApi partnerApi) {

  public static Services create(Vertx vertx, Pool pool, AppConfig config, AppClock clock, Mailer mailer) {
    String publicUrl = config.http().publicUrl();
    TokenService tokens = new TokenService(vertx, config.auth());
    PasswordHasher hasher = new PasswordHasher(vertx, config.auth().bcryptCost());
    Plans plans = new Plans(config.commission().plans());
    AccessClient access = new AccessClient(vertx);
    IdentityRepository identity = new IdentityRepository(pool, clock);
    AccountRepository accounts = new AccountRepository(pool, clock);
    ConnectionRepository connections = new ConnectionRepository(pool, clock, config.policy().jobThreshold());
    InviteRepository invites = new InviteRepository(pool, clock, config.policy().inviteDays());
    InviteMail inviteMail = new InviteMail(mailer, publicUrl);
    StaffInviteRepository staffInvites = new StaffInviteRepository(pool, clock, config.policy().inviteDays());
    BannerRepository banners = new BannerRepository(pool, clock);
    CommissionRepository commission = new CommissionRepository(pool, clock, config.commission(), config.credits());
    IdentityApi identityApi = new IdentityApi(identity, accounts, hasher, tokens, plans, publicUrl, staffInvites,
        new SignInThrottle(vertx, clock), pool);
    PartnerApi partnerApi = new PartnerApi(pool, clock, connections, accounts, invites, identity, commission, banners,
        access, hasher, identityApi, plans, inviteMail);
    return new Services(config, clock, pool, mailer, tokens, hasher, plans, access, identity, accounts,
        new AccountActors(accounts, access), connections, invites, inviteMail, staffInvites,
        new StaffInvitations(staffInvites, mailer, publicUrl), banners, commission,
        new JobRepository(pool, clock), new ActivityRepository(pool), new ExpiryRuleRepository(pool, clock),
        identityApi, partnerApi);
  }
}
