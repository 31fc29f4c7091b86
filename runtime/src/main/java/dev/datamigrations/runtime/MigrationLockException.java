package dev.datamigrations.runtime;

/**
 * Thrown when the run's database lock could not be taken within the configured lock timeout
 * (nothing was run). Also the cause of a {@link MigrationFailedException} when a run finds, right
 * before a migration commits, that it no longer holds the lock (its session was killed, its
 * connection died or was silently reconnected): that migration is then not recorded as applied, and
 * rolled back if it is transactional.
 */
public class MigrationLockException extends MigrationRefusedException {
  private static final long serialVersionUID = 1L;

  public MigrationLockException(String message) {
    super(message);
  }

  public MigrationLockException(String message, Throwable cause) {
    super(message, cause);
  }
}
