package dev.datamigrations.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Writes the few JSON values the command line prints by hand, with RFC 8259 escaping: a
 * dependency-free command line is worth more than a library for two small documents.
 */
final class Json {
  private Json() {}

  /** Returns {@code text} as a JSON string, or {@code null}. */
  static String string(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder json = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        default -> {
          // Other control characters must be escaped; U+2028/2029 too, so the output is also valid
          // JavaScript;
          // and a lone surrogate, which UTF-8 cannot encode (it would be written as '?').
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || loneSurrogate(text, i)) {
            json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"').toString();
  }

  private static boolean loneSurrogate(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    return Character.isLowSurrogate(c)
        && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
  }

  /** Returns an instant as an ISO-8601 UTC string in milliseconds, or {@code null}. */
  static String instant(Instant instant) {
    return instant == null ? "null" : string(instant.truncatedTo(ChronoUnit.MILLIS).toString());
  }

  /** Returns a number, or {@code null}. */
  static String number(Long number) {
    return number == null ? "null" : Long.toString(number);
  }

  /**
   * Returns a decimal rounded to one place (NaN and infinities, which JSON lacks, as {@code null}).
   */
  static String decimal(double number) {
    return Double.isFinite(number) ? String.format(Locale.ROOT, "%.1f", number) : "null";
  }
}
