package dev.datamigrations.runtime;

/**
 * How far a migration that runs over time got (today: a backfill, whose layer gives the details in
 * its own type, {@code dev.datamigrations.runtime.backfill.BackfillProgress}); read from the
 * database, the same for every process. The core knows only what {@link MigrationStatus} needs.
 */
public interface MigrationProgress {

  /** Returns the migration's version. */
  long version();

  /** Returns the share done, 0 to 100. */
  double percent();

  /**
   * Returns whether it was cancelled before it was done (then {@link MigrationState#CANCELLED}).
   */
  boolean cancelled();

  /**
   * Returns whether it stopped because its work failed past its threshold (then {@link
   * MigrationState#FAILED}); false by default.
   */
  default boolean failed() {
    return false;
  }
}
