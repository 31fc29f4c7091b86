package dev.datamigrations.runtime;

/**
 * Thrown by {@code up}/{@code down} for a version that is not in the code; the message lists the
 * known ones.
 */
public class UnknownMigrationVersionException extends MigrationRefusedException {
  private static final long serialVersionUID = 1L;

  public UnknownMigrationVersionException(String message) {
    super(message);
  }
}
