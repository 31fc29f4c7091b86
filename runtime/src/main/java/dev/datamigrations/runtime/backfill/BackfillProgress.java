package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.MigrationProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How far a backfill got, read from the database: the same for every process.
 *
 * @param version the backfill's version
 * @param state running, paused, cancelled, failed or done
 * @param rowsDone keys processed by committed batches
 * @param estimatedTotal the rows counted just after it started, outside the run lock (at least
 *     {@code rowsDone}, which it reads as until the count is written; equal to it once done)
 * @param batchesDone committed batches
 * @param batchSize the batch size last used (it changes when the tuner is on)
 * @param startedAt when it started
 * @param updatedAt when the last batch committed (or it started)
 * @param rowsPerSecond rows done per second since it started, 0 before the first batch
 * @param eta the estimated time left, null if unknown (nothing done yet), zero once done
 * @param longestBatch the longest time a batch's transaction took (and held its locks)
 * @param recentFailures the latest failed batch attempts since it started or was last resumed,
 *     newest first, at most {@value #RECENT_FAILURES}; empty if none failed
 */
public record BackfillProgress(
    long version,
    BackfillState state,
    long rowsDone,
    long estimatedTotal,
    long batchesDone,
    int batchSize,
    Instant startedAt,
    Instant updatedAt,
    double rowsPerSecond,
    Duration eta,
    Duration longestBatch,
    List<BatchFailure> recentFailures)
    implements MigrationProgress {

  /** How many failures {@link #recentFailures()} holds at most. */
  public static final int RECENT_FAILURES = 5;

  public BackfillProgress {
    recentFailures = List.copyOf(recentFailures);
  }

  /** Returns a progress without failures. */
  public BackfillProgress(
      long version,
      BackfillState state,
      long rowsDone,
      long estimatedTotal,
      long batchesDone,
      int batchSize,
      Instant startedAt,
      Instant updatedAt,
      double rowsPerSecond,
      Duration eta,
      Duration longestBatch) {
    this(
        version,
        state,
        rowsDone,
        estimatedTotal,
        batchesDone,
        batchSize,
        startedAt,
        updatedAt,
        rowsPerSecond,
        eta,
        longestBatch,
        List.of());
  }

  /** Returns the share done, 0 to 100. */
  @Override
  public double percent() {
    return estimatedTotal == 0
        ? (state == BackfillState.DONE ? 100 : 0)
        : Math.min(100.0, 100.0 * rowsDone / estimatedTotal);
  }

  /** Returns whether it was cancelled before it was done. */
  @Override
  public boolean cancelled() {
    return state == BackfillState.CANCELLED;
  }

  /** Returns whether its batches failed past the threshold ({@link BackfillState#FAILED}). */
  @Override
  public boolean failed() {
    return state == BackfillState.FAILED;
  }

  /** Returns {@code 45.2% (452,000 of 1,000,000 rows, 12,000 rows/s, ETA 45 s), running}. */
  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "%.1f%% (%,d of %,d rows, %,.0f rows/s, ETA %s), %s",
        percent(),
        rowsDone,
        estimatedTotal,
        rowsPerSecond,
        eta == null ? "unknown" : eta.toSeconds() + " s",
        state.name().toLowerCase(java.util.Locale.ROOT));
  }
}
