package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.MigrationDescriptor;
import java.util.List;

/**
 * Thrown by {@code migrate}, {@code up}, {@link Backfills#work} and {@link
 * Backfills#ensureFinished} when a backfill is {@link BackfillState#FAILED}: its batches failed
 * past the threshold in this run, or it had failed before. Not a refusal: batches done before the
 * failure stay done (committed, each with its rows), and so do the sub-batches a failed batch
 * committed before its failure; nothing after the backfill was run. Resume it after the fix with
 * {@link Backfills#resume}: it continues where it stopped, the failed batches with their attempts
 * reset.
 */
public class BackfillFailedException extends DataMigrationException {
  private static final long serialVersionUID = 1L;

  private final MigrationDescriptor backfill;
  private final transient BackfillProgress progress;

  public BackfillFailedException(MigrationDescriptor backfill, BackfillProgress progress) {
    super(message(backfill, progress));
    this.backfill = backfill;
    this.progress = progress;
  }

  private static String message(MigrationDescriptor backfill, BackfillProgress progress) {
    List<BatchFailure> failures = progress.recentFailures();
    return "Backfill "
        + backfill
        + " failed at "
        + progress
        + (failures.isEmpty() ? "" : ": last failure " + failures.get(0))
        // With sub-batches, a failed batch's sub-batches committed before the failure stay done.
        + ". Each failed attempt was rolled back; batches, and sub-batches, committed before it stay"
        + " done, and nothing after the backfill was run. Fix the cause, then resume it where it stopped with"
        + " Backfills.of(runner).resume("
        + backfill.version()
        + ") (command line: resume "
        + backfill.version()
        + "); the failed batches are retried with their attempts reset.";
  }

  /** Returns the failed backfill. */
  public MigrationDescriptor backfill() {
    return backfill;
  }

  /** Returns its progress when it was seen failed, with its recent failures. */
  public BackfillProgress progress() {
    return progress;
  }
}
