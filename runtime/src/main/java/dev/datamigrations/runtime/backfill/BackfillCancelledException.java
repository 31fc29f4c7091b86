package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.MigrationDescriptor;

/** Thrown by {@code migrate} and {@code up} when they reach a backfill that was cancelled. */
public class BackfillCancelledException extends DataMigrationException {
  private static final long serialVersionUID = 1L;

  public BackfillCancelledException(MigrationDescriptor backfill, BackfillProgress progress) {
    super(
        "Backfill "
            + backfill
            + " was cancelled at "
            + progress
            + "; nothing after it was run. Resume it where it stopped with resume("
            + backfill.version()
            + ") (command line: resume "
            + backfill.version()
            + ").");
  }
}
