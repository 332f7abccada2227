package com.partneraccess;

import com.partneraccess.access.AccessClient;
import com.partneraccess.accounts.AccountActors;
import com.partneraccess.accounts.AccountRepository;
import com.partneraccess.accounts.AccountService;
import com.partneraccess.accounts.ExpiryRuleRepository;
import com.partneraccess.accounts.OwnerClaimRepository;
import com.partneraccess.accounts.OwnerClaims;
import com.partneraccess.accounts.StaffInviteRepository;
import com.partneraccess.banner.BannerKind;
import com.partneraccess.banner.BannerStore;
import com.partneraccess.accounts.StaffInvitations;
import com.partneraccess.activity.ActivityRepository;
import com.partneraccess.activity.ActivityService;
import com.partneraccess.banner.BannerRepository;
import com.partneraccess.banner.BannerService;
import com.partneraccess.commission.CommissionRepository;
import com.partneraccess.commission.CommissionService;
import com.partneraccess.commission.Plans;
import com.partneraccess.config.AppConfig;
import com.partneraccess.connections.AccessRequestService;
import com.partneraccess.connections.ConnectionRepository;
import com.partneraccess.connections.ConnectionService;
import com.partneraccess.connections.CustomerListRepository;
import com.partneraccess.directory.DirectoryRepository;
import com.partneraccess.directory.DirectoryService;
import com.partneraccess.identity.IdentityRepository;
import com.partneraccess.identity.IdentityService;
import com.partneraccess.identity.PasswordHasher;
import com.partneraccess.identity.RecoveryRepository;
import com.partneraccess.identity.RecoveryService;
import com.partneraccess.identity.SignInThrottle;
import com.partneraccess.identity.TokenService;
import com.partneraccess.invites.InviteMail;
import com.partneraccess.invites.InviteRepository;
import com.partneraccess.invites.InviteService;
import com.partneraccess.jobs.JobRepository;
import com.partneraccess.jobs.JobService;
import com.partneraccess.mail.Mailer;
import com.partneraccess.notifications.NotificationKind;
import com.partneraccess.notifications.NotificationRepository;
import com.partneraccess.notifications.NotificationStore;
import com.partneraccess.notifications.NotificationService;
import com.partneraccess.reviews.ReviewService;
import com.partneraccess.partners.PartnerService;
import com.partneraccess.teams.TeamRepository;
import com.partneraccess.teams.TeamService;
import com.partneraccess.time.AppClock;
import com.partneraccess.webhooks.WebhookRepository;
import com.partneraccess.webhooks.WebhookService;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/**
 * The composition root of one HTTP verticle instance: builds every repository once and every feature
 * service on top of them. The adapters (JSON API, pages, WebSocket) receive the services they call, never
 * this record; only the verticle that wires them reads it.
 */
public record Services(
    AppConfig config,
    AppClock clock,
    Pool pool,
    TokenService tokens,
    AccessClient access,
    AccountActors actors,
    AccountRepository accountRepository,
    ExpiryRuleRepository expiryRules,
    IdentityRepository identityRepository,
    IdentityService identity,
    AccountService accounts,
    ConnectionService connections,
    AccessRequestService accessRequests,
    InviteService invites,
    JobService jobs,
    BannerService banners,
    ActivityService activity,
    CommissionService commission,
    PartnerService partners,
    NotificationService notifications,
    TeamService teams,
    RecoveryService recovery,
    DirectoryService directory,
    ReviewService reviews,
    WebhookService webhooks) {

  public static Services create(Vertx vertx, Pool pool, AppConfig config, AppClock clock, Mailer mailer) {
    String publicUrl = config.http().publicUrl();
    TokenService tokens = new TokenService(vertx, config.auth());
    PasswordHasher hasher = new PasswordHasher(vertx, config.auth().bcryptCost(), config.limits().hashThreads(),
        config.limits().hashQueue());
    Plans plans = new Plans(config.commission().plans(), config.commission().currency());
    AccessClient access = new AccessClient(vertx);
    IdentityRepository identity = new IdentityRepository(pool, clock);
    AccountRepository accounts = new AccountRepository(pool, clock);
    ConnectionRepository connections = new ConnectionRepository(pool, clock);
    CustomerListRepository customerList = new CustomerListRepository(pool, config.policy().jobThreshold());
    InviteRepository invites = new InviteRepository(pool, clock, config.policy().inviteDays());
    StaffInviteRepository staffInvites = new StaffInviteRepository(pool, clock, config.policy().inviteDays(),
        (tx, accountId, partnerId, message, at) -> BannerStore.raise(tx, BannerKind.STAFF_CHANGED_BY_PARTNER,
            accountId, partnerId, message, null, at)
            .compose(b -> NotificationStore.record(tx, NotificationKind.STAFF_CHANGED_BY_PARTNER,
                new NotificationStore.Event(accountId, partnerId, message, null, null), at)));
    OwnerClaimRepository claims = new OwnerClaimRepository(pool, clock, config.policy().inviteDays());
    CommissionRepository commission = new CommissionRepository(pool, clock, config.commission(), config.credits());
    CommissionService commissionService = new CommissionService(commission, plans, clock);
    InviteService inviteService = new InviteService(invites, new InviteMail(mailer, publicUrl),
        config.limits().invitesPerHour(), config.limits().resendsPerHour(), config.policy().expiryDays(),
        config.policy().jobThreshold());
    ConnectionService connectionService = new ConnectionService(pool, clock, connections, customerList,
        accounts::refuseLeavingBeforeHandover);
    return new Services(config, clock, pool, tokens, access, new AccountActors(accounts, access), accounts,
        new ExpiryRuleRepository(pool, clock), identity,
        new IdentityService(identity, hasher, tokens, publicUrl, new SignInThrottle(pool, clock, config.limits()), pool,
            config.limits().trustForwardedFor()),
        new AccountService(accounts, connections, staffInvites, new StaffInvitations(staffInvites, mailer, publicUrl),
            claims, hasher, plans),
        connectionService,
        new AccessRequestService(pool, clock, connections, customerList),
        inviteService,
        new JobService(new JobRepository(pool, clock)),
        new BannerService(new BannerRepository(pool, clock)),
        new ActivityService(new ActivityRepository(pool), clock),
        commissionService,
        new PartnerService(pool, clock, access, accounts, identity, commission, hasher, tokens, plans, publicUrl,
            claims, new OwnerClaims(mailer, publicUrl)),
        new NotificationService(new NotificationRepository(pool), clock),
        new TeamService(new TeamRepository(pool, clock, config.policy().inviteDays()), hasher, tokens, mailer, publicUrl),
        new RecoveryService(new RecoveryRepository(pool, clock), hasher, tokens, pool, mailer, publicUrl),
        new DirectoryService(new DirectoryRepository(pool), commissionService, inviteService, clock),
        new ReviewService(pool, clock, connectionService, config.reviews()),
        new WebhookService(new WebhookRepository(pool, clock)));


  }
}
