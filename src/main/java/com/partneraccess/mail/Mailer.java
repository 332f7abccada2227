package com.partneraccess.mail;

import com.partneraccess.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Sends the service's emails (partner and staff invites) through SMTP with the Vert.x mail client, each
 * rendered by {@link MailTemplates} and sent as multipart/alternative (plain text and HTML); without
 * {@code mail.host} / {@code SMTP_HOST} (development) it writes the text to the log instead.
 */
public final class Mailer {
  private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);

  private final MailClient client;
  private final String from;
  private final MailTemplates templates;

  private Mailer(MailClient client, String from, MailTemplates templates) {
    this.client = client;
    this.from = from;
    this.templates = templates;
  }

  public static Mailer create(Vertx vertx, AppConfig.Mail config) {
    MailTemplates templates = MailTemplates.load();
    if (config.host() == null) {
      return new Mailer(null, config.from(), templates);
    }
    MailConfig mc = new MailConfig().setHostname(config.host()).setPort(config.port())
        .setStarttls(config.starttls() ? StartTLSOptions.REQUIRED : StartTLSOptions.OPTIONAL)
        .setUsername(config.username()).setPassword(config.password());
    return new Mailer(MailClient.createShared(vertx, mc, "partner-access-mail"), config.from(), templates);
  }

  /**
   * Renders the mail {@code template} (one of {@link MailTemplates#MAILS}) from {@code model} and sends it to
   * {@code to}; the future fails if rendering fails or the SMTP server refuses the message.
   */
  public Future<Void> send(String to, String template, Map<String, Object> model) {
    MailTemplates.Rendered mail;
    try {
      mail = templates.render(template, model);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (client == null) {
      LOG.info("Email (no SMTP configured) to {}: {}\n{}", to, mail.subject(), mail.text());
      return Future.succeededFuture();
    }
    return client.sendMail(new MailMessage().setFrom(from).setTo(to).setSubject(mail.subject())
        .setText(mail.text()).setHtml(mail.html())).mapEmpty();
  }

  public Future<Void> close() {
    return client == null ? Future.succeededFuture() : client.close();
  }
}
