package dev.datamigrations.runtime;

/**
 * Which shape a migration has, known at compile time and written into the generated registry
 * through the descriptor's factories {@code MigrationDescriptor.migration(...)} and {@code
 * MigrationDescriptor.backfill(...)}.
 */
public enum MigrationKind {
  /** A {@link Migration}: {@code up} runs once, in one transaction unless declared otherwise. */
  MIGRATION,
  /** A {@code Backfill}: runs batch by batch, each batch in a transaction of its own. */
  BACKFILL
}
