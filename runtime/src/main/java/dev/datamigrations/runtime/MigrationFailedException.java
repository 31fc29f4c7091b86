package dev.datamigrations.runtime;

/**
 * Thrown when a migration's {@code up} or {@code down} fails. The run stops there: migrations before it stay
 * applied, later ones are not run. The message names the version, the class and the description, and says
 * whether the failed migration's changes were rolled back.
 */
public class MigrationFailedException extends DataMigrationException {
  private static final long serialVersionUID = 1L;

  private final MigrationDescriptor migration;
  private final Direction direction;
  private final boolean rolledBack;

  public MigrationFailedException(
      MigrationDescriptor migration, Direction direction, boolean rolledBack, Throwable cause) {
    super(message(migration, direction, rolledBack, cause), cause);
    this.migration = migration;
    this.direction = direction;
    this.rolledBack = rolledBack;
  }

  private static String message(
      MigrationDescriptor migration, Direction direction, boolean rolledBack, Throwable cause) {
    String outcome =
        migration.backfill() && direction == Direction.UP
            ? "The failed batch was rolled back; batches done before it stay done, and the backfill resumes"
                + " with the failed batch when it runs again."
            : rolledBack
            ? "Its changes were rolled back and its history row was not "
                + (direction == Direction.UP ? "written." : "deleted.")
            : "It is not transactional: changes it made before the failure were NOT rolled back; "
                + "fix the data or make it safe to re-run, then run it again.";
    return "Data migration "
        + migration.version()
        + " ("
        + migration.description()
        + ", "
        + migration.className()
        + ") failed while migrating "
        + direction.name().toLowerCase(java.util.Locale.ROOT)
        + ": "
        + cause
        + ". "
        + outcome;
  }

  /** Returns the migration that failed. */
  public MigrationDescriptor migration() {
    return migration;
  }

  /** Returns whether it failed in {@code up} or {@code down}. */
  public Direction direction() {
    return direction;
  }

  /** Returns whether its changes were rolled back (always true for transactional migrations). */
  public boolean rolledBack() {
    return rolledBack;
  }
}
