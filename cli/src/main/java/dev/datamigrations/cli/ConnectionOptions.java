package dev.datamigrations.cli;

import dev.datamigrations.runtime.Redaction;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The database to connect to: {@code --url}, {@code --user}, {@code --password}, each falling back
 * to an environment variable, and the URL finally to the embedding application's default.
 */
final class ConnectionOptions {
  static final String URL_VARIABLE = "DATAMIGRATIONS_URL";
  static final String USER_VARIABLE = "DATAMIGRATIONS_USER";
  static final String PASSWORD_VARIABLE = "DATAMIGRATIONS_PASSWORD";

  /** What to connect with, once every fallback is applied. */
  record Connection(String url, String user, String password) {
    /** Returns the URL with its credentials masked, for messages. */
    String shownUrl() {
      return Redaction.redact(url, password);
    }

    @Override
    public String toString() {
      return "Connection["
          + shownUrl()
          + ", user "
          + user
          + (password == null ? "" : ", password " + Redaction.MASK)
          + "]";
    }
  }

  @Option(
      names = "--url",
      paramLabel = "JDBC_URL",
      scope = ScopeType.INHERIT,
      description =
          "JDBC URL of the database (default: $DATAMIGRATIONS_URL, then the application's default).")
  String url;

  @Option(
      names = "--user",
      paramLabel = "USER",
      scope = ScopeType.INHERIT,
      description = "Database user (default: $DATAMIGRATIONS_USER).")
  String user;

  @Option(
      names = "--password",
      paramLabel = "PASSWORD",
      scope = ScopeType.INHERIT,
      description =
          "Database password (default: $DATAMIGRATIONS_PASSWORD, which keeps it out of `ps`).")
  String password;

  /**
   * Returns the connection to use; fails with a message naming every way to give a URL if there is
   * none.
   */
  Connection resolve(Map<String, String> environment, String defaultUrl) {
    String resolvedUrl = firstNonBlank(url, environment.get(URL_VARIABLE), defaultUrl);
    if (resolvedUrl == null) {
      throw new ConfigurationException(
          "No database URL: pass --url jdbc:..., or set the environment variable "
              + URL_VARIABLE
              + ".");
    }
    return new Connection(
        resolvedUrl,
        firstNonBlank(user, environment.get(USER_VARIABLE)),
        firstNonBlank(password, environment.get(PASSWORD_VARIABLE)));
  }

  private static String firstNonBlank(String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isBlank()) {
        return candidate;
      }
    }
    return null;
  }
}
