package com.partneraccess.reviews;

import com.partneraccess.mail.MailTemplates;
import com.partneraccess.mail.Mailer;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The e-mail that tells the owner an access review is waiting (R30), worded in {@code templates/mail/access-review.*}.
 * Sent after the review committed, straight through {@link Mailer}.
 */
public final class ReviewMail {
  static final String TEMPLATE = "access-review";

  private final Mailer mailer;
  private final String publicUrl;

  public ReviewMail(Mailer mailer, String publicUrl) {
    this.mailer = mailer;
    this.publicUrl = publicUrl;
  }

  Future<Void> send(ReviewRepository.Owner owner, AccessReview review, int unusedDays) {
    Map<String, Object> model = model(owner.name(), owner.businessName(), review, publicUrl);
    model.put("unusedDays", unusedDays);
    return mailer.send(owner.email(), TEMPLATE, model);
  }

  /**
   * The model: {@code name}, {@code businessName}, {@code link}, {@code dueOn}, {@code unusedDays} (added by
   * {@link #send}) and {@code partners}, each with
   * {@code name}, {@code lastUsed}, {@code did} and {@code recommended}.
   */
  static Map<String, Object> model(String name, String businessName, AccessReview review, String publicUrl) {
    List<Map<String, Object>> partners = new ArrayList<>();
    for (AccessReview.Item i : review.items()) {
      Map<String, Object> p = new HashMap<>();
      p.put("name", i.partnerName());
      p.put("lastUsed", i.lastUsedAt() == null ? "never" : MailTemplates.day(i.lastUsedAt()));
      p.put("did", ReviewWords.did(i.activity()));
      p.put("recommended", i.recommendedToDisable());
      partners.add(p);
    }
    Map<String, Object> model = new HashMap<>();
    model.put("name", name);
    model.put("businessName", businessName);
    model.put("link", publicUrl + "/app/reviews/" + review.id());
    model.put("dueOn", MailTemplates.day(review.dueAt()));
    model.put("partners", partners);
    return model;
  }
}
