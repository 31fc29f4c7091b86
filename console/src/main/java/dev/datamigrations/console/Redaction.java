package dev.datamigrations.console;

import java.util.regex.Pattern;

/**
 * Removes secrets from text the console shows or stores: JDBC URLs (which may carry user and
 * password), the {@code user:password@} of any other URL, and secret values: {@code password=...},
 * {@code "password": "..."}, SQL's {@code PASSWORD '...'} (also for {@code secret}, {@code token},
 * {@code api_key}). Error messages come from drivers and user code, so they are scrubbed before
 * they reach a page, an API response or the failures table.
 */
final class Redaction {
  private static final Pattern JDBC_URL = Pattern.compile("jdbc:[^\\s\"'<>]+");
  // Bounded and anchored at the start of a word: error messages can be long runs of letters, and an
  // unbounded
  // scheme would be tried from every position of them (quadratic time).
  private static final Pattern USER_INFO =
      Pattern.compile(
          "(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30}://)[^\\s/@\"'<>:]{0,200}:[^\\s/@\"'<>]{0,200}@");
  // A name, then "=" or ":" (JSON's closing quote before it allowed), or blanks before a quoted
  // value (SQL).
  private static final Pattern PASSWORD =
      Pattern.compile(
          "(?i)(password|passwd|pwd|secret|token|api[_-]?key)(\"?\\s*[=:]\\s*|\\s+(?=[\"']))"
              + "(\"[^\"]*\"|'[^']*'|[^\\s&;,\"']+)");

  private Redaction() {}

  /**
   * Returns {@code text} with JDBC URLs, URL credentials and secret values replaced; null stays
   * null.
   */
  static String scrub(String text) {
    if (text == null) {
      return null;
    }
    String withoutUrls = JDBC_URL.matcher(text).replaceAll("jdbc:(URL hidden)");
    String withoutCredentials = USER_INFO.matcher(withoutUrls).replaceAll("$1(hidden)@");
    return PASSWORD.matcher(withoutCredentials).replaceAll("$1$2(hidden)");
  }
}
