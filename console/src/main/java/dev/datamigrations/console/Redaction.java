package dev.datamigrations.console;

import java.util.regex.Pattern;

/**
 * Removes secrets from text the console shows or stores: JDBC URLs (which may carry user and password) and
 * {@code password=...} pairs. Error messages come from drivers and user code, so they are scrubbed before they
 * reach a page, an API response or the failures table.
 */
final class Redaction {
  private static final Pattern JDBC_URL = Pattern.compile("jdbc:[^\\s\"'<>]+");
  private static final Pattern PASSWORD =
      Pattern.compile("(?i)(password|passwd|pwd|secret|token)(\\s*[=:]\\s*)[^\\s&;,\"']+");

  private Redaction() {}

  /** Returns {@code text} with JDBC URLs and password pairs replaced; null stays null. */
  static String scrub(String text) {
    if (text == null) {
      return null;
    }
    String withoutUrls = JDBC_URL.matcher(text).replaceAll("jdbc:(URL hidden)");
    return PASSWORD.matcher(withoutUrls).replaceAll("$1$2(hidden)");
  }
}
