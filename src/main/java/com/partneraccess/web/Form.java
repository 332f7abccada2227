package com.partneraccess.web;

import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;
import com.partneraccess.identity.PasswordHasher;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A submitted form: its values (kept to fill the form again when it is rejected, passwords excepted) and
 * the checks the JSON API's schema makes, so bad input is a sentence, never a 500.
 */
final class Form {

  private final RoutingContext ctx;
  private final Map<String, String> values = new LinkedHashMap<>();
  /** The label each checked field's refusals start with, and the field's name (for the error next to it). */
  private final Map<String, String> labels = new LinkedHashMap<>();

  Form(RoutingContext ctx) {
    this.ctx = ctx;
    ctx.put(Web.FORM, this);
  }

  /**
   * Names the label a refusal about field {@code name} starts with ("Email is required"), for refusals worded by a
   * service rather than by this form; the checks below name theirs themselves.
   */
  Form field(String name, String label) {
    labels.put(label, name);
    return this;
  }

  /**
   * The refusal as {field name: sentence} when it is about one field of this form (it starts with that field's
   * label, or reads "The <label> ..."), so the page shows it next to that field; empty when it is about the form.
   * The longest label wins ("Current password" before "Password").
   */
  Map<String, String> fieldErrors(String message) {
    if (message == null || message.isBlank()) {
      return Map.of();
    }
    String lower = message.toLowerCase(java.util.Locale.ROOT);
    String best = null;
    for (String label : labels.keySet()) {
      String l = label.toLowerCase(java.util.Locale.ROOT);
      if ((lower.startsWith(l + " ") || lower.startsWith("the " + l + " ")) && (best == null || label.length() > best.length())) {
        best = label;
      }
    }
    return best == null ? Map.of() : Map.of(labels.get(best), message);
  }

  /** The trimmed value, or null when absent or blank; remembered for re-display unless secret. */
  String get(String name) {
    String v = ctx.request().getFormAttribute(name);
    v = v == null || v.isBlank() ? null : v.strip();
    if (v != null && !name.toLowerCase().contains("password")) {
      values.put(name, v);
    }
    return v;
  }

  List<String> all(String name) {
    return ctx.request().formAttributes().getAll(name);
  }

  String required(String name, String label) {
    field(name, label);
    String v = get(name);
    if (v == null) {
      throw Problem.VALIDATION_FAILED.exception(label + " is required");
    }
    if (v.length() > 200) {
      throw Problem.VALIDATION_FAILED.exception(label + " is too long (at most 200 characters)");
    }
    return v;
  }

  String email(String name, String label, boolean required) {
    field(name, label);
    String v = required ? required(name, label) : get(name);
    if (v != null && !Input.looksLikeEmail(v)) {
      throw Problem.VALIDATION_FAILED.exception(label + " does not look like an email address");
    }
    return v;
  }

  String password(String name, String label, boolean required) {
    field(name, label);
    String v = ctx.request().getFormAttribute(name);
    if (v == null || v.isEmpty()) {
      if (required) {
        throw Problem.VALIDATION_FAILED.exception(label + " is required");
      }
      return null;
    }
    if (v.length() < 8) {
      throw Problem.VALIDATION_FAILED.exception(label + " must have at least 8 characters");
    }
    if (v.length() > 200) {
      throw Problem.VALIDATION_FAILED.exception(label + " is too long");
    }
    PasswordHasher.check(v);
    return v;
  }

  int integer(String name, String label, int min, int max) {
    field(name, label);
    String v = required(name, label);
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw Problem.VALIDATION_FAILED.exception(label + " must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw Problem.VALIDATION_FAILED.exception(label + " must be a whole number");
    }
  }

  Map<String, String> values() {
    return values;
  }
}
