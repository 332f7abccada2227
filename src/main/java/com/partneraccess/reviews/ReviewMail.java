package com.partneraccess.reviews;

import com.partneraccess.mail.MailTemplates;
import com.partneraccess.notifications.MailOutbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The e-mail that tells the owner an access review is waiting (R30), worded in {@code templates/mail/access-review.*}.
 * Written to the e-mail outbox ({@link MailOutbox}) in the transaction that creates the review: a review that rolled
 * back e-mails nobody, and the relay retries a refusing SMTP server.
 */
final class ReviewMail {
  static final String TEMPLATE = "access-review";

  private ReviewMail() {}

  /** The owner's e-mail; its link is a path, the relay puts {@code http.publicUrl} in front. */
  static MailOutbox.Outgoing outgoing(ReviewRepository.Owner owner, AccessReview review, int unusedDays) {
    Map<String, Object> model = model(owner.name(), owner.businessName(), review, "");
    model.put("unusedDays", unusedDays);
    return new MailOutbox.Outgoing(owner.userId(), owner.email(), TEMPLATE, model);
  }

  /**
   * The model: {@code name}, {@code businessName}, {@code link}, {@code dueOn}, {@code unusedDays} (added by
   * {@link #outgoing}) and {@code partners}, each with
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
