package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.MigrationDescriptor;
import java.time.Duration;

/**
 * Hears a backfill's progress, back-offs and failed batch attempts, for progress output and
 * metrics; every method has a no-op default. Set with {@link BackfillSettings.Builder#listener}; a
 * backfill's start, end and failure reach the runner's {@link
 * dev.datamigrations.runtime.MigrationListener} like any migration's. Called on a worker thread.
 */
public interface BackfillListener {

  /** Called by a backfill's reporting worker at the progress interval, and when it ends. */
  default void backfillProgress(MigrationDescriptor backfill, BackfillProgress progress) {}

  /** Called when a worker backs off because the health check said the database is under stress. */
  default void backfillThrottled(MigrationDescriptor backfill, String reason, Duration wait) {}

  /**
   * Called when a worker pauses after a batch because other sessions of its database were busy
   * ({@link BackfillSettings.Builder#busyPause}): {@code busySessions} of them at the last ask, for
   * {@code pause}. Routine under live traffic (after every batch), so not a back-off.
   */
  default void backfillYielded(MigrationDescriptor backfill, long busySessions, Duration pause) {}

  /**
   * Called after a batch's attempt failed, rolled back and was recorded in {@code
   * <history>_errors}, with the record (its outcome says whether it is retried, split, or failed
   * the backfill); for metrics and alerts. Called on the worker that ran the batch, outside any
   * transaction.
   */
  default void backfillBatchFailed(MigrationDescriptor backfill, BatchFailure failure) {}
}
