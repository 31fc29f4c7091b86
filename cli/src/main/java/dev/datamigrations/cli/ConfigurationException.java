package dev.datamigrations.cli;

/**
 * Thrown for a mistake in how the command line was called or configured (no URL, no catalog, a bad
 * name for {@code new}, ...): exits with {@link ExitCodes#USAGE} and prints the message, which says
 * how to fix it.
 */
final class ConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ConfigurationException(String message) {
    super(message);
  }

  ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
