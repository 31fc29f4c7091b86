package dev.datamigrations.runtime.backfill;

/** Where a started backfill stands; persisted in the database so that every process sees it. */
public enum BackfillState {
  /** Workers claim and process batches. */
  RUNNING,
  /** Workers wait without claiming batches until it is resumed or cancelled. */
  PAUSED,
  /**
   * Workers stopped; {@code migrate} refuses to go past it until it is resumed. Done batches stay
   * done.
   */
  CANCELLED,
  /** Every batch is done and the history row is written: the migration is applied. */
  DONE
}
