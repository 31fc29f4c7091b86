package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationRefusedException;

/**
 * Thrown when a backfill is about to start and its key column cannot be walked: not found, not an
 * integer that fits a Java {@code long}, nullable, or not unique. Thrown before the backfill's
 * progress row is written, so the backfill has not started; the message names the table, the column
 * and the fix.
 */
public class BackfillKeyException extends MigrationRefusedException {
  private static final long serialVersionUID = 1L;

  private final MigrationDescriptor backfill;

  public BackfillKeyException(MigrationDescriptor backfill, String message) {
    super(message);
    this.backfill = backfill;
  }

  /** Returns the backfill that was refused. */
  public MigrationDescriptor backfill() {
    return backfill;
  }
}
