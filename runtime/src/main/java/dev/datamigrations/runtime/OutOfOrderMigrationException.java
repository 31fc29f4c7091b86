package dev.datamigrations.runtime;

/**
 * Thrown, before anything changes, when {@link OutOfOrderPolicy#REFUSE} meets an out-of-order
 * version.
 */
public class OutOfOrderMigrationException extends MigrationRefusedException {
  private static final long serialVersionUID = 1L;

  public OutOfOrderMigrationException(String message) {
    super(message);
  }
}
