package com.partneraccess.mail;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The wording of every email, as Pebble templates under {@code templates/mail/}: for a mail named
 * {@code x}, {@code x.subject.peb} and {@code x.txt.peb} (plain text, no escaping) and {@code x.html.peb}
 * (HTML, autoescaped). All templates are compiled once, when the renderer is created, so a missing file fails
 * at start; {@code strictVariables} makes a variable missing from the model fail the render (and the tests).
 * Rendering is CPU-only on compiled templates and small, so it runs on the caller's event loop.
 */
public final class MailTemplates {
  /** The mails the service sends; each needs its three template files. */
  public static final List<String> MAILS = List.of("partner-invite", "staff-invite", "owner-claim", "notification",
      "team-invite", "password-reset", "email-change", "lead", "access-review");

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
      .withZone(ZoneOffset.UTC);

  /** One rendered email: its subject line, plain-text body and HTML body. */
  public record Rendered(String subject, String text, String html) {}

  private final Map<String, PebbleTemplate> templates;

  private MailTemplates(Map<String, PebbleTemplate> templates) {
    this.templates = templates;
  }

  /** Compiles every mail's templates from the classpath. */
  public static MailTemplates load() {
    PebbleEngine text = engine(false, false);
    PebbleEngine html = engine(true, true);
    Map<String, PebbleTemplate> compiled = new HashMap<>();
    for (String mail : MAILS) {
      compiled.put(mail + ".subject", text.getTemplate(mail + ".subject.peb"));
      compiled.put(mail + ".txt", text.getTemplate(mail + ".txt.peb"));
      compiled.put(mail + ".html", html.getTemplate(mail + ".html.peb"));
    }
    return new MailTemplates(Map.copyOf(compiled));
  }

  /**
   * Text templates keep every newline they are written with (Pebble would otherwise drop the one after each
   * {@code {{ }}} and {@code {% %}}), so a text body reads exactly as its file; they trim with {@code -%}.
   */
  private static PebbleEngine engine(boolean autoEscaping, boolean newLineTrimming) {
    ClasspathLoader loader = new ClasspathLoader(MailTemplates.class.getClassLoader());
    loader.setPrefix("templates/mail");
    return new PebbleEngine.Builder().loader(loader).autoEscaping(autoEscaping).newLineTrimming(newLineTrimming)
        .strictVariables(true)
        .defaultLocale(Locale.ENGLISH).cacheActive(true).build();
  }

  /** Renders the mail {@code name} from an explicit model; throws if the mail is unknown or the model lacks a variable. */
  public Rendered render(String name, Map<String, Object> model) {
    if (!MAILS.contains(name)) {
      throw new IllegalArgumentException("No mail templates named " + name);
    }
    // a subject is one header line, whatever a name in the model contains
    String subject = evaluate(name + ".subject", model).strip().replaceAll("\\s+", " ");
    return new Rendered(subject, evaluate(name + ".txt", model), evaluate(name + ".html", model));
  }

  private String evaluate(String key, Map<String, Object> model) {
    StringWriter out = new StringWriter();
    try {
      templates.get(key).evaluate(out, model, Locale.ENGLISH);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The day of an ISO instant as the mails write it, in UTC: "3 March 2026". */
  public static String day(String isoInstant) {
    return DAY.format(Instant.parse(isoInstant));
  }
}
