package dev.datamigrations.runtime;

/**
 * Hears each migration as it runs, for progress output; every method has a no-op default. Called on
 * the thread that runs the migration. A backfill's start, end and failure come here too; its
 * progress and back-offs go to the backfill layer's own listener ({@code
 * dev.datamigrations.runtime.backfill.BackfillListener}).
 */
public interface MigrationListener {

  /** Called just before {@code up} or {@code down} starts. */
  default void started(MigrationDescriptor migration, Direction direction) {}

  /** Called after the migration and its history write committed. */
  default void succeeded(MigrationExecution execution) {}

  /** Called after a migration failed, once it was rolled back where it could be. */
  default void failed(MigrationFailedException failure) {}
}
