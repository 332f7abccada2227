package com.partneraccess.demo;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.authz.Principal;
import com.partneraccess.accounts.AccountRepository;
import com.partneraccess.accounts.OwnerClaimRepository;
import com.partneraccess.config.AppConfig;
import com.partneraccess.connections.AccessRequestService;
import com.partneraccess.connections.ConnectionRepository;
import com.partneraccess.connections.ConnectionService;
import com.partneraccess.connections.CustomerListRepository;
import com.partneraccess.db.Database;
import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.directory.DirectoryRepository;
import com.partneraccess.identity.IdentityRepository;
import com.partneraccess.identity.PasswordHasher;
import com.partneraccess.invites.InviteRepository;
import com.partneraccess.jobs.JobRepository;
import com.partneraccess.teams.TeamRepository;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;

/**
 * On an empty development database: one partner and customers in different states, so a newcomer can
 * try every journey at once. Prints the sign-ins at every start while the demo partner exists.
 */
public final class DemoData {
  private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);
  public static final String PASSWORD = "demo-password";
  public static final String PARTNER_EMAIL = "partner@demo.test";
  /** R28: a member of the demo partner's team, with Acme Plumbing assigned. */
  public static final String MEMBER_EMAIL = "member@demo.test";

  private final Vertx vertx;
  private final AppConfig config;
  private final AppClock clock;

  public DemoData(Vertx vertx, AppConfig config, AppClock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
  }

  public Future<Void> seed() {
    Pool pool = Database.pool(vertx, DatabaseUrl.parse(config.db().url()), 2);
    return pool.query("SELECT count(*) AS n FROM users").execute()
        .compose(rows -> rows.iterator().next().getLong("n") == 0 ? create(pool) : Future.succeededFuture())
        .compose(v -> pool.query("SELECT 1 FROM users WHERE email = '" + PARTNER_EMAIL + "'").execute())
        .onSuccess(rows -> {
          if (rows.size() > 0) {
            printSignIns();
          }
        })
        .<Void>mapEmpty()
        .eventually(() -> pool.close());
  }

  private Future<Void> create(Pool pool) {
    PasswordHasher hasher = new PasswordHasher(vertx, config.auth().bcryptCost(), config.limits().hashThreads(),
        config.limits().hashQueue());
    IdentityRepository identity = new IdentityRepository(pool, clock);
    AccountRepository accounts = new AccountRepository(pool, clock);
    OwnerClaimRepository claims = new OwnerClaimRepository(pool, clock, config.policy().inviteDays());
    ConnectionRepository connectionRepository = new ConnectionRepository(pool, clock);
    CustomerListRepository customerList = new CustomerListRepository(pool, config.policy().jobThreshold());
    ConnectionService connections = new ConnectionService(pool, clock, connectionRepository, customerList);
    AccessRequestService requests = new AccessRequestService(pool, clock, connectionRepository, customerList);
    InviteRepository invites = new InviteRepository(pool, clock, config.policy().inviteDays());
    JobRepository jobs = new JobRepository(pool, clock);
    LOG.info("Empty database: creating demo data");
    return hasher.hash(PASSWORD).compose(hash -> identity.signUpPartner("Northwind Advisors", "Nora Partner",
            PARTNER_EMAIL, hash)
        .compose(partner -> {
          UUID pid = partner.partnerId();
          // Acme: created by the partner and handed over (the owner claimed it with its own password, R25),
          // busy (120 jobs), so its expiry clock runs.
          Future<UUID> acme = accounts.createForPartner(pid, "Northwind Advisors", "Acme Plumbing", "standard",
                  new OwnerClaimRepository.Owner("Alice Acme", "owner@acme.test"), claims)
              .compose(s -> claims.claim(s.claim().token(), hash))
              .compose(c -> jobs.create(actor(c.accountId(), c.userId()), "Boiler service", 120).map(x -> c.accountId()));
          // Blue Fern: signed up through the referral link; access off until the owner enables it.
          Future<Void> fern = accounts.signUp("Blue Fern Cafe", "starter",
              new AccountRepository.NewUser("Ben Fern", "owner@bluefern.test", hash), partner.referralCode()).mapEmpty();
          // Copperline: invited and accepted, then the owner disabled access and the partner asked again.
          Future<Void> copper = accounts.signUp("Copperline Electrical", "premium",
                  new AccountRepository.NewUser("Cara Copper", "owner@copperline.test", hash), null)
              .compose(s -> invites.create(pid, s.accountId(), null)
                  .compose(inv -> invites.decide(s.accountId(), UUID.fromString(inv.invite().getString("id")), true, s.userId()))
                  .compose(x -> connections.setAccess(actor(s.accountId(), s.userId()),
                      new ConnectionService.SetAccess(pid, false)))
                  .compose(x -> requests.requestAccess(new Principal(partner.userId(), Principal.Kind.PARTNER, null,
                      null, pid, "Northwind Advisors"), s.accountId(),
                      new AccessRequestService.AskAccess("Year-end accounts are due; we need a week to prepare them", "7d"))))
                  .mapEmpty();
          // Dune: an existing customer with a pending invite from the partner.
          Future<Void> dune = accounts.signUp("Dune Landscaping", "standard",
                  new AccountRepository.NewUser("Dan Dune", "owner@dune.test", hash), null)
              .compose(s -> invites.create(pid, null, "owner@dune.test")).mapEmpty();
          TeamRepository team = new TeamRepository(pool, clock, config.policy().inviteDays());
          // The partner directory: the demo partner is listed, and so is a second partner, so a customer finds both
          // under Find a partner (Dune has no partner connected yet).
          DirectoryRepository directory = new DirectoryRepository(pool);
          Future<Void> listed = directory.saveListing(pool, pid, true, "Leeds and Bradford",
                  List.of("bookkeeping", "payroll", "setup"), "Set-up, payroll and bookkeeping for trades and cafes.",
                  clock.nowUtc())
              .compose(v -> identity.signUpPartner("Pennine Books", "Pat Pennine", "partner2@demo.test", hash))
              .compose(second -> directory.saveListing(pool, second.partnerId(), true, "Leeds and Harrogate",
                  List.of("bookkeeping", "tax", "training"), "Year-end accounts, tax returns and training on the app.",
                  clock.nowUtc()));
          return acme.compose(acmeId -> fern.compose(v -> copper).compose(v -> dune).compose(v -> listed)
              .compose(v -> teammate(team, pid, partner.userId(), acmeId, hash)));
        }));
  }

  /** R28: Sam Lee joins the demo partner's team as a member (from an invitation) and is assigned Acme Plumbing. */
  private static Future<Void> teammate(TeamRepository team, UUID partnerId, UUID adminId, UUID acmeId, String hash) {
    return team.pool().withTransaction(tx -> team.invite(tx, partnerId, adminId, "Sam Lee", MEMBER_EMAIL, "member"))
        .compose(inv -> team.join(inv.token(), hash))
        .compose(j -> team.pool().withTransaction(tx -> team.assign(tx, j.userId(), partnerId, acmeId, adminId)))
        .mapEmpty();
  }

  private static AccountActor actor(UUID accountId, UUID userId) {
    return new AccountActor(accountId, userId, "owner", null, null, null, "active");
  }

  private void printSignIns() {
    LOG.info("""

        ==================== Demo sign-ins (password for all: {}) ====================
          Partner portal ............ {}
          Partner portal (member) ... {}      sees only Acme Plumbing (R28)
          Acme Plumbing (owner) ..... owner@acme.test        partner access enabled, 120 jobs (expiry clock running)
          Blue Fern Cafe (owner) .... owner@bluefern.test    joined by referral link, partner access off
          Copperline (owner) ........ owner@copperline.test  access disabled, partner's request waiting
          Dune Landscaping (owner) .. owner@dune.test        partner invite waiting to be accepted
          Pennine Books (partner) ... partner2@demo.test     listed in the directory (Find a partner) with Northwind
          Open {} and sign in.
        ================================================================================""",
        PASSWORD, PARTNER_EMAIL, MEMBER_EMAIL, config.http().publicUrl());
  }
}
