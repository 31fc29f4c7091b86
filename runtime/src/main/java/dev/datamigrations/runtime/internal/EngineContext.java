package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.MigrationListener;
import java.time.Duration;
import java.util.Optional;

/** What the engine gives the layer that runs its backfill steps ({@link BackfillHandler}). */
public interface EngineContext {

  /** Returns where the runner gets its connections. */
  ConnectionSource source();

  /** Returns the database's dialect, detected once. */
  Dialect dialect();

  /** Returns the history table's name; the backfill tables are named after it. */
  TableName table();

  /** Returns how long to wait for another runner's lock. */
  Duration lockTimeout();

  /** Returns the runner's listener. */
  MigrationListener listener();

  /** Returns the writer of history rows, with the runner's operator and reason. */
  HistoryWriter historyWriter();

  /** Returns the catalog's migrations by version. */
  CatalogIndex catalog();

  /**
   * Runs what {@code up(version)} needs before the backfill {@code version} (nothing, or the
   * backfill itself) under the run lock and starts it; returns its step to work on, or empty if it
   * is applied or another run finished it meanwhile.
   */
  Optional<Step> startForWork(long version);
}
