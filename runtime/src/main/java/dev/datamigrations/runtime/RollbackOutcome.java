package dev.datamigrations.runtime;

/**
 * What became of a failed migration's changes: the fact a {@link MigrationFailedException} message
 * states.
 */
public enum RollbackOutcome {
  /** Transactional: its changes and its history write were rolled back; it is as before the run. */
  ROLLED_BACK,
  /**
   * Transactional, and the rollback itself failed (the connection was lost, typically): nothing of
   * it was committed, and the database discards the uncommitted transaction when the connection
   * closes.
   */
  ROLLBACK_FAILED,
  /**
   * Transactional, and the failure came from the COMMIT: the database may or may not have committed
   * it (with its history row, always together); {@code status} tells which.
   */
  COMMIT_OUTCOME_UNKNOWN,
  /**
   * Not transactional: what it committed before the failure stays, and its history row was not
   * written.
   */
  NOT_ROLLED_BACK
}
