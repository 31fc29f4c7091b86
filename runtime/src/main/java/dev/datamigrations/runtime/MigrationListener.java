package dev.datamigrations.runtime;

/**
 * Hears each migration as it runs, for progress output; every method has a no-op default. Called on the thread
 * that runs the migration.
 */
public interface MigrationListener {

  /** Called just before {@code up} or {@code down} starts. */
  default void started(MigrationDescriptor migration, Direction direction) {}

  /** Called after the migration and its history write committed. */
  default void succeeded(MigrationExecution execution) {}

  /** Called after a migration failed, once it was rolled back where it could be. */
  default void failed(MigrationFailedException failure) {}

  /** Called by a backfill's reporting worker at the runner's progress interval, and when it ends. */
  default void backfillProgress(MigrationDescriptor backfill, BackfillProgress progress) {}

  /** Called when a worker backs off because the health check said the database is under stress. */
  default void backfillThrottled(MigrationDescriptor backfill, String reason, java.time.Duration wait) {}
}
