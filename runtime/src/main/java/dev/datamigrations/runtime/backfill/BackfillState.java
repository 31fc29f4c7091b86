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
  DONE,
  /**
   * Failed past its threshold: a batch ran out of attempts, or more than half of the recent batch
   * attempts failed. Workers stop; {@code migrate} refuses to go past it; {@code resume} (after a
   * fix) continues where it stopped, the failed batches with their attempts reset. Done batches
   * stay done; {@link BackfillProgress#recentFailures()} says what failed.
   */
  FAILED
}
