package dev.datamigrations.runtime;

/**
 * Thrown by {@link MigrationRunner#down} for a version that is in the code but not applied; nothing
 * changes.
 */
public class MigrationNotAppliedException extends MigrationRefusedException {
  private static final long serialVersionUID = 1L;

  public MigrationNotAppliedException(String message) {
    super(message);
  }
}
