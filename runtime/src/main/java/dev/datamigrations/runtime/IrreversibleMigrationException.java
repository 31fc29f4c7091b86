package dev.datamigrations.runtime;

/**
 * Thrown by the default {@link Migration#down}, and by the runner when asked to revert a migration
 * that does not override it (before anything is changed).
 */
public class IrreversibleMigrationException extends MigrationRefusedException {
  private static final long serialVersionUID = 1L;

  public IrreversibleMigrationException(String message) {
    super(message);
  }
}
