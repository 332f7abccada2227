package com.partneraccess.reviews;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The words of a review (R30), shared by the page, the e-mail and the API's {@code did} text. */
public final class ReviewWords {
  private ReviewWords() {}

  /** "3 log-ins, 1 access request" from activity counts by kind; "nothing" when empty. */
  public static String did(Map<String, Integer> activity) {
    if (activity.isEmpty()) {
      return "nothing";
    }
    List<String> parts = new ArrayList<>();
    activity.forEach((kind, n) -> parts.add(switch (kind) {
      case "partner.login" -> n + (n == 1 ? " log-in" : " log-ins");
      case "access.requested" -> n + (n == 1 ? " access request" : " access requests");
      default -> kind + ": " + n;
    }));
    return String.join(", ", parts);
  }
}
