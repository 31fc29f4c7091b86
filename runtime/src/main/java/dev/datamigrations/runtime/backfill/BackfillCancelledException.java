package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.MigrationDescriptor;

/**
 * Thrown by {@code migrate} and {@code up} when they reach a backfill that was cancelled, or when
 * the backfill they work on is cancelled while they do. Not a {@link
 * dev.datamigrations.runtime.MigrationRefusedException}: in the second case the batches this run
 * committed before the cancel stay done ({@link #progress()} counts them), so "nothing was changed"
 * would not be true; nothing after the backfill was run, and {@link #completedBefore()} lists what
 * this call applied before it.
 */
public class BackfillCancelledException extends DataMigrationException {
  private static final long serialVersionUID = 1L;

  private final MigrationDescriptor backfill;
  private final transient BackfillProgress progress;

  public BackfillCancelledException(MigrationDescriptor backfill, BackfillProgress progress) {
    super(
        "Backfill "
            + backfill
            + " was cancelled at "
            + progress
            + "; nothing after it was run. Resume it where it stopped with Backfills.of(runner).resume("
            + backfill.version()
            + ") (command line: resume "
            + backfill.version()
            + ").");
    this.backfill = backfill;
    this.progress = progress;
  }

  /** Returns the cancelled backfill. */
  public MigrationDescriptor backfill() {
    return backfill;
  }

  /** Returns its progress when the refusal was made. */
  public BackfillProgress progress() {
    return progress;
  }
}
