package com.partneraccess.banner;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Cursor;
import io.vertx.core.Future;

import java.util.UUID;

/** THE home of the stored banners (R17): the account's (owner and admins) and the partner's own. */
public final class BannerService {
  private final BannerRepository repository;

  public BannerService(BannerRepository repository) {
    this.repository = repository;
  }

  /** The most banners one page holds (documented in openapi.yaml); the default page is the whole maximum. */
  public static final int PAGE_MAX = 100;

  /** The account's banners, newest first, at most {@value #PAGE_MAX} a page: owner and admins. */
  public Future<BannerRepository.Page> forAccount(AccountActor actor, Cursor.PageRequest page) {
    Permissions.require(actor, Operation.LIST_BANNERS);
    return repository.forAccount(actor.accountId(), Cursor.timeKey(page.cursor(), BannerRepository.CURSOR_KIND),
        Cursor.limit(page.limit(), PAGE_MAX, PAGE_MAX));
  }

  public Future<Void> dismiss(AccountActor actor, UUID bannerId) {
    Permissions.require(actor, Operation.DISMISS_BANNER);
    return repository.dismissForAccount(actor.accountId(), bannerId);
  }

  /**
   * The partner's own banners, newest first, at most {@value #PAGE_MAX} a page; a member sees only those about the
   * customers assigned to it (R28), like its live events.
   */
  public Future<BannerRepository.Page> forPartner(Principal partner, Cursor.PageRequest page) {
    Permissions.require(partner, Operation.LIST_PARTNER_BANNERS);
    return repository.forPartner(partner.partnerId(), partner.userId(), Cursor.timeKey(page.cursor(), BannerRepository.CURSOR_KIND),
        Cursor.limit(page.limit(), PAGE_MAX, PAGE_MAX));
  }

  public Future<Void> dismiss(Principal partner, UUID bannerId) {
    Permissions.require(partner, Operation.DISMISS_PARTNER_BANNER);
    return repository.dismissForPartner(partner.partnerId(), partner.userId(), bannerId);
  }
}
