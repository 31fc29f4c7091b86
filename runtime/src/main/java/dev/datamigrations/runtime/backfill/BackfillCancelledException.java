package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationRefusedException;

/** Thrown by {@code migrate} and {@code up} when they reach a backfill that was cancelled. */
public class BackfillCancelledException extends MigrationRefusedException {
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
