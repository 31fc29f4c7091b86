package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.MigrationRefusedException;

/**
 * Thrown by pause, resume, cancel and work when the backfill is not in a state that allows it (not
 * started, already done, not a backfill). Nothing was changed.
 */
public class BackfillStateException extends MigrationRefusedException {
  private static final long serialVersionUID = 1L;

  public BackfillStateException(String message) {
    super(message);
  }
}
