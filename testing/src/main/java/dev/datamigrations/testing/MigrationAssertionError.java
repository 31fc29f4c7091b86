package dev.datamigrations.testing;

import dev.datamigrations.runtime.MigrationDescriptor;

/**
 * A {@link MigrationTester} assertion failed: the message names the assertion, the migration
 * (version, description, class) and the {@link Phase} that failed, then what went wrong; the cause
 * is the check's own failure or the runner's exception.
 */
public final class MigrationAssertionError extends AssertionError {
  private static final long serialVersionUID = 1L;

  private final transient MigrationDescriptor migration;
  private final Phase phase;

  MigrationAssertionError(
      String assertion,
      MigrationDescriptor migration,
      Phase phase,
      String detail,
      Throwable cause) {
    super(
        assertion
            + " failed for data migration "
            + migration
            + " in phase "
            + phase.description()
            + ": "
            + detail,
        cause);
    this.migration = migration;
    this.phase = phase;
  }

  /** Returns the migration under test. */
  public MigrationDescriptor migration() {
    return migration;
  }

  /** Returns the step that failed. */
  public Phase phase() {
    return phase;
  }
}
