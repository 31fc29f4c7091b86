/**
 * Backfills: data migrations that walk a big table in batches ({@link
 * dev.datamigrations.runtime.backfill.Backfill}), their settings ({@link
 * dev.datamigrations.runtime.backfill.BackfillSettings}, given to the runner with {@code
 * MigrationRunner.Builder#with}) and their controls ({@link
 * dev.datamigrations.runtime.backfill.Backfills}). A layer on top of the migration engine: this
 * package depends on {@code dev.datamigrations.runtime}, never the reverse.
 */
package dev.datamigrations.runtime.backfill;
