package dev.datamigrations.runtime;

/**
 * Where a version stands, comparing the code with the history table. Every state but {@link
 * #PENDING}, {@link #RUNNING}, {@link #CANCELLED} and {@link #FAILED} has a history row, so {@code
 * migrate} does not run it; the last three are backfills that started and are not done, whose state
 * is in the backfill's own table until they finish.
 */
public enum MigrationState {
  /** In the code and in the history table: it ran ({@link AppliedAs#RUN}). */
  APPLIED,
  /**
   * It ran ({@link AppliedAs#RUN}), and its code changed since: the checksum of its source differs
   * from the one stored with its row. Rows written before checksums existed, and migrations whose
   * registry has no checksum, are never CHANGED. See {@link MigrationRunner#validate()} and {@link
   * MigrationRunner#acceptChecksum}.
   */
  CHANGED,
  /** Marked applied without running by {@link MigrationRunner#baseline}. */
  BASELINED,
  /** Marked applied without running by {@link MigrationRunner#markApplied}. */
  MARKED,
  /** Skipped by {@link MigrationRunner#skip}: not run, and {@code migrate} will not run it. */
  SKIPPED,
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
   * ran in production. Never fails a run. {@link MigrationStatus#appliedAs()} says how its row came
   * to be.
   */
  REMOVED;

  /** Returns whether the version has a history row (so that {@code migrate} does not run it). */
  public boolean inHistory() {
    return this != PENDING && this != RUNNING && this != CANCELLED && this != FAILED;
  }
}
