package com.partneraccess.directory;

import com.partneraccess.mail.MailTemplates;
import com.partneraccess.mail.Mailer;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The e-mail that tells a partner's users about a new lead, worded in {@code templates/mail/lead.*.peb}. It is sent
 * after the lead is committed: a failed send is logged and reported ({@code emailsSent}), it never loses the lead,
 * which the partner sees on its Leads page either way.
 */
public final class LeadMail {
  private static final Logger LOG = LoggerFactory.getLogger(LeadMail.class);
  static final String TEMPLATE = "lead";

  private final Mailer mailer;
  private final String publicUrl;

  public LeadMail(Mailer mailer, String publicUrl) {
    this.mailer = mailer;
    this.publicUrl = publicUrl;
  }

  /** Sends the lead to every address; succeeds with how many of the e-mails went out. */
  public Future<Integer> send(Lead lead, String partnerName, List<String> to) {
    Map<String, Object> model = model(lead, partnerName, publicUrl);
    List<Future<Boolean>> sends = new ArrayList<>(to.size());
    for (String address : to) {
      sends.add(mailer.send(address, TEMPLATE, model).map(v -> true).recover(err -> {
        LOG.warn("Could not email lead {} to {}", lead.id(), address, err);
        return Future.succeededFuture(false);
      }));
    }
    return Future.join(sends).map(all -> (int) sends.stream().filter(f -> Boolean.TRUE.equals(f.result())).count());
  }

  /**
   * The template's model: {@code partnerName}, {@code businessName}, {@code contactName}, {@code contactEmail},
   * {@code message}, {@code sentOn} and {@code link} (the partner's Leads page).
   */
  static Map<String, Object> model(Lead lead, String partnerName, String publicUrl) {
    Map<String, Object> model = new HashMap<>();
    model.put("partnerName", partnerName);
    model.put("businessName", lead.businessName());
    model.put("contactName", lead.contactName());
    model.put("contactEmail", lead.contactEmail());
    model.put("message", lead.message());
    model.put("sentOn", MailTemplates.day(lead.createdAt()));
    model.put("link", publicUrl + "/partner/leads");
    return model;
  }
}
