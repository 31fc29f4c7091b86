package dev.datamigrations.runtime;

/** Where a version stands, comparing the code with the history table. */
public enum MigrationState {
  /** In the code and in the history table. */
  APPLIED,
  /** In the code, not yet in the history table. */
  PENDING,
  /**
   * A backfill that started and is not done: running, paused or waiting for workers; see {@link
   * MigrationStatus#progress()}.
   */
  RUNNING,
  /** A backfill that was cancelled before it was done; {@code resume} continues it. */
  CANCELLED,
  /**
   * A backfill that stopped because its batches failed past its threshold; {@code resume} (after a
   * fix) continues it. Its progress says what failed.
   */
  FAILED,
  /**
   * In the history table, no longer in the code: normal for one-off migrations deleted after they
   * ran in production. Never fails a run.
   */
  REMOVED
}
