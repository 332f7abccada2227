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

/**
 * Sends the service's emails (partner invites) through SMTP with the Vert.x mail client; without
 * {@code mail.host} / {@code SMTP_HOST} (development) it writes them to the log instead.
 */
public final class Mailer {
  private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);

  private final MailClient client;
  private final String from;

  private Mailer(MailClient client, String from) {
    this.client = client;
    this.from = from;
  }

  public static Mailer create(Vertx vertx, AppConfig.Mail config) {
    if (config.host() == null) {
      return new Mailer(null, config.from());
    }
    MailConfig mc = new MailConfig().setHostname(config.host()).setPort(config.port())
        .setStarttls(config.starttls() ? StartTLSOptions.REQUIRED : StartTLSOptions.OPTIONAL)
        .setUsername(config.username()).setPassword(config.password());
    return new Mailer(MailClient.createShared(vertx, mc, "partner-access-mail"), config.from());
  }

  /** Sends one plain-text email; the future fails if the SMTP server refuses it. */
  public Future<Void> send(String to, String subject, String text) {
    if (client == null) {
      LOG.info("Email (no SMTP configured) to {}: {}\n{}", to, subject, text);
      return Future.succeededFuture();
    }
    return client.sendMail(new MailMessage().setFrom(from).setTo(to).setSubject(subject).setText(text)).mapEmpty();
  }

  public Future<Void> close() {
    return client == null ? Future.succeededFuture() : client.close();
  }
}
