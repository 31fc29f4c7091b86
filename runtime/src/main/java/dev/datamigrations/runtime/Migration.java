package dev.datamigrations.runtime;

import org.jdbi.v3.core.Handle;

/**
 * A data migration: a change to data, applied once per database. Annotate implementations with
 * {@link dev.datamigrations.DataMigration} so that the processor lists them in the generated {@code
 * MigrationRegistry}.
 *
 * <p>Unless the annotation says {@code transactional = false}, {@link #up} and {@link #down} run
 * inside a transaction that also writes the history row: do not commit or roll back the handle
 * yourself.
 */
public interface Migration {

  /**
   * Applies the change. Any exception fails the migration and, if it is transactional, rolls it
   * back.
   */
  void up(Handle handle);

  /**
   * Reverts the change made by {@link #up}. Override it only if the change can really be undone:
   * the processor records whether it is overridden, and {@code down}/{@code rollback} refuse,
   * before touching anything, a migration that does not.
   *
   * @throws IrreversibleMigrationException always, unless overridden
   */
  default void down(Handle handle) {
    throw new IrreversibleMigrationException(
        getClass().getName() + " does not override down(Handle)", getClass().getName());
  }
}
