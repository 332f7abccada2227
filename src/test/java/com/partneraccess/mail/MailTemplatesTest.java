package com.partneraccess.mail;

import io.pebbletemplates.pebble.error.PebbleException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Email bodies are rendered from the Pebble templates under templates/mail")
class MailTemplatesTest {
  private final MailTemplates templates = MailTemplates.load();

  @Test
  @DisplayName("Every mail has a subject, a text and an HTML template, and the HTML is a whole document")
  void everyMailRenders() {
    MailTemplates.Rendered mail = templates.render("staff-invite", Map.of("name", "Sam", "businessName", "Bakery",
        "role", "staff", "link", "https://pa.example/x", "expiresOn", "3 March 2026"));
    assertThat(mail.subject()).isEqualTo("You are invited to Bakery");
    assertThat(mail.html()).startsWith("<!DOCTYPE html>").contains("<html lang=\"en\">").endsWith("</html>\n");
  }

  @Test
  @DisplayName("A variable missing from the model fails the render instead of leaving a blank")
  void strictVariables() {
    assertThatThrownBy(() -> templates.render("staff-invite", Map.of("name", "Sam")))
        .isInstanceOf(PebbleException.class).hasMessageContaining("businessName");
  }

  @Test
  @DisplayName("An unknown mail is refused")
  void unknownMail() {
    assertThatThrownBy(() -> templates.render("nope", Map.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("Dates are written as day, month name and year, in UTC")
  void day() {
    assertThat(MailTemplates.day("2026-03-03T10:15:30Z")).isEqualTo("3 March 2026");
    assertThat(MailTemplates.day("2026-12-31T23:59:59.999Z")).isEqualTo("31 December 2026");
  }
}
