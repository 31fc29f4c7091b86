package dev.datamigrations.runtime;

/** Thrown when the run's database lock could not be taken within the configured lock timeout. */
public class MigrationLockException extends DataMigrationException {
  private static final long serialVersionUID = 1L;

  public MigrationLockException(String message) {
    super(message);
  }

  public MigrationLockException(String message, Throwable cause) {
    super(message, cause);
  }
}
