package com.partneraccess.banner;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Principal;
import io.vertx.core.Future;

import java.util.List;
import java.util.UUID;

/** THE home of the stored banners (R17): the account's (owner and admins) and the partner's own. */
public final class BannerService {
  private final BannerRepository repository;

  public BannerService(BannerRepository repository) {
    this.repository = repository;
  }

  public Future<List<Banner>> forAccount(AccountActor actor) {
    Permissions.require(actor, Operation.LIST_BANNERS);
    return repository.forAccount(actor.accountId());
  }

  public Future<Void> dismiss(AccountActor actor, UUID bannerId) {
    Permissions.require(actor, Operation.DISMISS_BANNER);
    return repository.dismissForAccount(actor.accountId(), bannerId);
  }

  public Future<List<Banner>> forPartner(Principal partner) {
    Permissions.require(partner, Operation.LIST_PARTNER_BANNERS);
    return repository.forPartner(partner.partnerId());
  }

  public Future<Void> dismiss(Principal partner, UUID bannerId) {
    Permissions.require(partner, Operation.DISMISS_PARTNER_BANNER);
    return repository.dismissForPartner(partner.partnerId(), bannerId);
  }
}
