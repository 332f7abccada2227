package com.partneraccess.directory;

import com.partneraccess.mail.MailTemplates;
import com.partneraccess.notifications.MailOutbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The e-mail that tells a partner's users about a new lead, worded in {@code templates/mail/lead.*.peb}. It is written
 * to the e-mail outbox ({@link MailOutbox}) in the lead's transaction: a lead that rolled back e-mails nobody, and the
 * relay retries a refusing SMTP server; the partner sees the lead on its Leads page either way.
 */
public final class LeadMail {
  static final String TEMPLATE = "lead";

  private LeadMail() {}

  /** One e-mail per recipient; the link is a path, the relay puts {@code http.publicUrl} in front. */
  static List<MailOutbox.Outgoing> outgoing(Lead lead, String partnerName, List<DirectoryRepository.Recipient> to) {
    Map<String, Object> model = model(lead, partnerName, "");
    List<MailOutbox.Outgoing> out = new ArrayList<>(to.size());
    for (DirectoryRepository.Recipient r : to) {
      out.add(new MailOutbox.Outgoing(r.userId(), r.email(), TEMPLATE, model));
    }
    return out;
  }

  /**
   * The template's model: {@code partnerName}, {@code businessName}, {@code contactName}, {@code contactEmail},
   * {@code message}, {@code sentOn} and {@code link} (the partner's Leads page, after {@code publicUrl}: empty for the
   * outbox, whose relay adds it).
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
