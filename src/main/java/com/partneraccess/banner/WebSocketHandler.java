package com.partneraccess.banner;

import com.partneraccess.Services;
import com.partneraccess.access.AccessClient;
import com.partneraccess.accounts.AccountRepository;
import com.partneraccess.bus.Addresses;
import com.partneraccess.bus.Problem;
import com.partneraccess.config.AppConfig;
import com.partneraccess.http.SessionCookie;
import com.partneraccess.authz.Principal;
import com.partneraccess.identity.TokenService;
import io.netty.channel.ChannelPromise;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.UUID;

/**
 * {@code GET /ws}: live banners and access changes for open pages (R17, R7, R19). The handshake is refused
 * (problem+json, no upgrade) unless
 * <ul>
 *   <li>the {@code Origin} is one of {@code http.allowedOrigins}; a request without Origin (not a browser) must
 *       authenticate with {@code Authorization: Bearer};</li>
 *   <li>a valid JWT comes as {@code Authorization: Bearer}, {@code ?token=} or the session cookie;</li>
 *   <li>an optional {@code ?accountId=} names the caller's own account (or the partner token's account scope);</li>
 *   <li>a partner's account-scoped token passes the access check ({@code rules.check}).</li>
 * </ul>
 * What a socket receives: owner/admin: their account's account-audience banners and their own notifications
 * ({@code {type: "notification"}}, R27); staff: nothing; a partner user: its partner's banners and its own
 * notifications; a partner with an account-scoped token also that account's access changes,
 * and {@code access_ended} followed by a close when access is disabled, expires or the partner is disconnected.
 * Every socket gets {@code signed_out} and a close (4401) when its token is signed out, on any instance (R26).
 * At most {@code limits.socketsPerUser} (10) sockets per user are open at once on this instance (counted across its
 * event loops); a handshake beyond that is refused with 429 and a sentence saying why.
 * A socket listens to one address ({@code live.account.<id>} or {@code live.partner.<id>}) through its event loop's
 * {@link LiveHub}: one event-bus consumer per address per event loop, whatever the number of sockets, each event
 * encoded once. R28: a partner's event about one customer reaches its admins' sockets and only those of the members
 * assigned to that customer (read once per event per event loop, {@link LiveAudienceRepository}). One instance per HTTP verticle: it keeps that event loop's sockets and pings them every
 * {@code http.wsPingMillis} ms (20 s by default) (a socket that did not answer the previous ping is closed).
 */
public final class WebSocketHandler implements Handler<RoutingContext> {
  private static final String SOCKETS_PER_USER = "live-sockets-per-user";

  private final TokenService tokens;
  private final SessionCookie cookie;
  private final AccountRepository accounts;
  private final AccessClient access;
  private final List<String> allowedOrigins;
  private final LiveHub hub;
  /** Open sockets per user id, shared by the handlers of every event loop of this process. */
  private final LocalMap<String, Integer> perUser;
  private final int maxPerUser;

  /** Create it from the HTTP verticle's {@code start()}: its ping timer belongs to that verticle's event loop. */
  public WebSocketHandler(Vertx vertx, Services services) {
    AppConfig config = services.config();
    this.tokens = services.tokens();
    this.cookie = new SessionCookie(config.http().publicUrl());
    this.accounts = services.accountRepository();
    this.access = services.access();
    this.allowedOrigins = List.copyOf(config.http().allowedOrigins());
    this.perUser = vertx.sharedData().getLocalMap(SOCKETS_PER_USER);
    this.maxPerUser = config.limits().socketsPerUser();
    this.hub = new LiveHub(vertx, new LiveAudienceRepository(services.pool()));
    vertx.setPeriodic(config.http().wsPingMillis(), id -> hub.forEachSocket(s -> {
      // (a user's sessions ended by a cut-off, R28 removal or a password reset, close through TOKEN_REVOKED below:
      // the user key stays revoked for a token's lifetime, and sockets opened after the cut-off must stay open)
      if (tokens.isRevokedKey(s.tokenKey())) {
        s.signedOut(); // a sign-out whose notification this process missed, found by a later reload (R26)
      } else {
        s.heartbeat();
      }
    }));
    // R26: signing a token out closes the sockets opened with it, on every instance
    vertx.eventBus().<String>localConsumer(Addresses.TOKEN_REVOKED, msg -> hub.forEachSocket(s -> {
      if (s.endedBy(msg.body())) {
        s.signedOut();
      }
    }));
  }

  /** Open sockets of this process (every event loop), for diagnostics and the fan-out benchmark. */
  public static int openSockets(Vertx vertx) {
    LocalMap<String, Integer> counts = vertx.sharedData().getLocalMap(SOCKETS_PER_USER);
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Diagnostics for the fan-out benchmark (off by default): record when each event's writing began and ended. */
  public static void recordFanOutTimes(boolean on) {
    LiveHub.recordTimes = on;
  }

  /**
   * With {@link #recordFanOutTimes} on: when this process began writing the latest event of {@code kind} (its type, or
   * {@code banner:<kind>}) to the sockets of {@code address} and when it finished, epoch µs (null: not recorded);
   * forgets them.
   */
  public static long[] takeFanOutTimes(Vertx vertx, String address, String kind) {
    LocalMap<String, Long> times = vertx.sharedData().getLocalMap(LiveHub.FAN_OUT_TIMES);
    Long first = times.remove(address + " " + kind + " first");
    Long last = times.remove(address + " " + kind + " last");
    return first == null || last == null ? null : new long[] {first, last};
  }

  /** The most sockets an event loop writes one event to in one turn (a bigger audience takes several turns). */
  public static int writesPerTurn() {
    return LiveHub.writesPerTurn;
  }

  /**
   * Event-bus consumers of this process's sockets for {@code address}: one per event loop holding a socket of it
   * (0 once its last socket closed), whatever the number of sockets.
   */
  public static int liveConsumers(Vertx vertx, String address) {
    return vertx.sharedData().<String, Integer>getLocalMap(LiveHub.CONSUMERS_MAP).getOrDefault(address, 0);
  }

  /**
   * Who the socket is for: the one address it listens to (null: nothing), the account of access events, and for a
   * partner user its role in its organisation as its token says (R28; null for customers).
   */
  record Scope(String address, UUID accessAccountId, String role, UUID userId, String partnerRole) {}

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (!req.canUpgradeToWebSocket()) {
      ctx.fail(Problem.VALIDATION_FAILED.exception("Open /ws as a WebSocket"));
      return;
    }
    String bearer = bearer(req);
    String origin = req.getHeader("Origin");
    if (origin == null ? bearer == null : !allowedOrigins.contains(origin)) {
      ctx.fail(Problem.FORBIDDEN.exception(origin == null
          ? "Browsers must send an allowed Origin; other clients authenticate with Authorization: Bearer"
          : "This origin may not open the live connection"));
      return;
    }
    String token = bearer != null ? bearer : req.getParam("token") != null ? req.getParam("token") : cookie.read(req);
    if (token == null || token.isBlank()) {
      ctx.fail(Problem.UNAUTHENTICATED.exception("Send a token: Authorization: Bearer, ?token= or the session cookie"));
      return;
    }
    UUID requestedAccount;
    try {
      String a = req.getParam("accountId");
      requestedAccount = a == null ? null : UUID.fromString(a);
    } catch (IllegalArgumentException e) {
      ctx.fail(Problem.VALIDATION_FAILED.exception("accountId must be a UUID"));
      return;
    }
    req.pause();
    tokens.verify(token)
        .compose(p -> scope(p, requestedAccount).compose(scope -> {
          String user = p.userId().toString();
          if (!reserve(user)) {
            return Future.failedFuture(Problem.TOO_MANY_ATTEMPTS.exception("You already have " + maxPerUser
                + " live connections open (the most allowed); close a tab or window and try again", 30));
          }
          ChannelPromise wire = LiveWire.writerOf(req);
          return req.toWebSocket()
              .<LiveSocket>map(ws -> new LiveSocket(ws, wire, hub, scope, tokens.revocationKey(token),
                  () -> release(user)))
              .onFailure(err -> release(user))
              .onSuccess(socket -> socket.open(scope.role()));
        }))
        .onFailure(err -> {
          if (!ctx.response().headWritten()) {
            ctx.fail(err);
          }
        });
  }

  /** Takes one of the user's socket slots, or says there is none left. */
  private boolean reserve(String user) {
    int open = perUser.merge(user, 1, Integer::sum);
    if (open <= maxPerUser) {
      return true;
    }
    release(user);
    return false;
  }

  private void release(String user) {
    perUser.computeIfPresent(user, (k, n) -> n <= 1 ? null : n - 1);
  }

  private Future<Scope> scope(Principal p, UUID requestedAccount) {
    if (p.isCustomer()) {
      return accounts.actorFor(p.userId()).compose(actor -> {
        if (requestedAccount != null && !requestedAccount.equals(actor.accountId())) {
          return Future.failedFuture(Problem.FORBIDDEN.exception("This is not your account"));
        }
        boolean manager = "owner".equals(actor.role()) || "admin".equals(actor.role());
        return Future.succeededFuture(new Scope(manager ? Addresses.liveAccount(actor.accountId()) : null, null,
            actor.role(), p.userId(), null));
      });
    }
    if (!p.isAccountScopedPartner()) {
      if (requestedAccount != null) {
        return Future.failedFuture(Problem.ACCOUNT_SCOPE_REQUIRED.exception(
            "Log in to the customer's account first, then open the socket with that token"));
      }
      return Future.succeededFuture(new Scope(Addresses.livePartner(p.partnerId()), null, "partner", p.userId(),
          p.role()));
    }
    if (requestedAccount != null && !requestedAccount.equals(p.accountId())) {
      return Future.failedFuture(Problem.FORBIDDEN.exception("This token is scoped to another account"));
    }
    // R7/R14/R19: a partner whose access ended cannot open an account-scoped socket.
    return access.check(p.partnerId(), p.userId(), p.accountId())
        .map(grant -> new Scope(Addresses.livePartner(p.partnerId()), p.accountId(), "partner", p.userId(),
            p.role()));
  }

  private static String bearer(HttpServerRequest req) {
    String h = req.getHeader("Authorization");
    if (h == null || h.length() <= 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String t = h.substring(7).trim();
    return t.isEmpty() ? null : t;
  }
}
