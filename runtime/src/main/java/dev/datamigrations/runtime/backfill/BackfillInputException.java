package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationRefusedException;

/**
 * Thrown when a {@link CsvBackfill} cannot run with the file it was given: none given, unreadable,
 * not valid CSV, or, on resume, not the file it started with (its SHA-256 differs). Nothing of the
 * backfill ran with it; the message names the file and the fix.
 */
public class BackfillInputException extends MigrationRefusedException {
  private static final long serialVersionUID = 1L;

  private final MigrationDescriptor backfill;

  public BackfillInputException(MigrationDescriptor backfill, String message) {
    super(message);
    this.backfill = backfill;
  }

  /** Returns the backfill that was refused. */
  public MigrationDescriptor backfill() {
    return backfill;
  }
}
