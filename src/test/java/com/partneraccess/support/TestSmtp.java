package com.partneraccess.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.json.JsonObject;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;

import java.io.IOException;
import java.net.ServerSocket;

/** An in-process SMTP server (GreenMail) on a free port, and the service configuration that sends to it. */
public final class TestSmtp {
  public final GreenMail server;
  public final int port;

  private TestSmtp(GreenMail server, int port) {
    this.server = server;
    this.port = port;
  }

  public static TestSmtp start() {
    try (ServerSocket s = new ServerSocket(0)) {
      int port = s.getLocalPort();
      s.close();
      GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
      mail.start();
      return new TestSmtp(mail, port);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Overrides for {@link TestApp#start(JsonObject)}. */
  public JsonObject config() {
    return new JsonObject().put("mail", new JsonObject().put("host", "127.0.0.1").put("port", port)
        .put("from", "Partner access <no-reply@example.test>"));
  }

  /**
   * The text of the first message received since {@code before} that is addressed to {@code to} and contains
   * {@code containing}, awaited up to 15 s. Other mail (a notification the outbox relay sends meanwhile, a message
   * delivered twice) never stands in for the one awaited.
   */
  public String awaitText(int before, String to, String containing) {
    String[] found = new String[1];
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> {
      jakarta.mail.internet.MimeMessage[] all = server.getReceivedMessages();
      for (int i = before; i < all.length; i++) {
        String text = text(all[i]);
        if (all[i].getAllRecipients()[0].toString().equals(to) && text.contains(containing)) {
          found[0] = text;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  /**
   * Group 1 of {@code regex} in the text of the first message since {@code before} to {@code to} where it matches,
   * awaited up to 15 s (other mail received meanwhile is passed over, as in {@link #awaitText}).
   */
  public String awaitMatch(int before, String to, String regex) {
    java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
    String[] found = new String[1];
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> {
      jakarta.mail.internet.MimeMessage[] all = server.getReceivedMessages();
      for (int i = before; i < all.length; i++) {
        java.util.regex.Matcher m = pattern.matcher(text(all[i]));
        if (all[i].getAllRecipients()[0].toString().equals(to) && m.find()) {
          found[0] = m.group(1);
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  /** The plain-text body of a received message (its text/plain part when it is multipart). */
  public static String text(Part message) {
    return part(message, "text/plain");
  }

  /** The HTML body of a received message, or null when it has none. */
  public static String html(Part message) {
    return part(message, "text/html");
  }

  /** The decoded content of the first part of {@code mimeType} in a message, or null when there is none. */
  public static String part(Part message, String mimeType) {
    try {
      if (message.isMimeType(mimeType)) {
        return (String) message.getContent();
      }
      if (message.isMimeType("multipart/*")) {
        Multipart parts = (Multipart) message.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
          String found = part(parts.getBodyPart(i), mimeType);
          if (found != null) {
            return found;
          }
        }
      }
      return null;
    } catch (IOException | MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  public void stop() {
    server.stop();
  }
}
