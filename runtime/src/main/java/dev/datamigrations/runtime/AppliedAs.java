package dev.datamigrations.runtime;

/**
 * How a version came to have its history row (column {@code applied_as}): run by the runner, or
 * marked by an operator without running. Rows written before this column existed read as {@link
 * #RUN}.
 */
public enum AppliedAs {
  /** Its {@code up} (or a backfill's batches) ran: {@code migrate}, {@code up}, {@code work}. */
  RUN,
  /**
   * Marked applied without running by {@link MigrationRunner#baseline}, when the database was
   * adopted: its changes were made before datamigrations managed it.
   */
  BASELINE,
  /**
   * Marked applied without running by {@link MigrationRunner#markApplied}: an operator says its
   * changes were made by other means.
   */
  MARKED,
  /**
   * Skipped by {@link MigrationRunner#skip}: never run, and {@code migrate} will not run it; its
   * changes are not in the database.
   */
  SKIPPED
}
