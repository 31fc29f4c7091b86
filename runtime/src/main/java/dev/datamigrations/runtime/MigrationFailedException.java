package dev.datamigrations.runtime;

import java.util.Locale;

/**
 * Thrown when a migration's {@code up} or {@code down} (or its history write, or its commit) fails.
 * The run stops there: migrations before it stay applied ({@link #completedBefore()}), later ones
 * are not run. The message names the version, the description and the class, and states exactly
 * what was and was not rolled back; the same facts are the getters {@link #migration()}, {@link
 * #direction()} and {@link #outcome()}.
 */
public class MigrationFailedException extends DataMigrationException {
  private static final long serialVersionUID = 1L;

  private final MigrationDescriptor migration;
  private final Direction direction;
  private final RollbackOutcome outcome;

  public MigrationFailedException(
      MigrationDescriptor migration,
      Direction direction,
      RollbackOutcome outcome,
      Throwable cause) {
    super(message(migration, direction, outcome, cause), cause);
    this.migration = migration;
    this.direction = direction;
    this.outcome = outcome;
  }

  /**
   * Describes a failure whose changes were rolled back ({@code true}) or kept because the migration
   * is not transactional ({@code false}).
   */
  public MigrationFailedException(
      MigrationDescriptor migration, Direction direction, boolean rolledBack, Throwable cause) {
    this(
        migration,
        direction,
        rolledBack ? RollbackOutcome.ROLLED_BACK : RollbackOutcome.NOT_ROLLED_BACK,
        cause);
  }

  private static String message(
      MigrationDescriptor migration,
      Direction direction,
      RollbackOutcome outcome,
      Throwable cause) {
    String verb = direction == Direction.UP ? "written" : "deleted";
    String facts =
        switch (outcome) {
          case ROLLED_BACK ->
              migration.backfill() && direction == Direction.UP
                  ? "The failed batch was rolled back; batches done before it stay done, and the backfill resumes"
                      + " with the failed batch when it runs again."
                  : "Its changes were rolled back and its history row was not " + verb + ".";
          case ROLLBACK_FAILED ->
              "Its transaction was not committed, but rolling it back failed too (see the suppressed exception);"
                  + " the database discards an uncommitted transaction when the connection closes, which the"
                  + " runner does now. Its history row was not "
                  + verb
                  + ".";
          case COMMIT_OUTCOME_UNKNOWN ->
              "The failure came from the COMMIT of its transaction, so the commit's outcome is unknown; check"
                  + " status: its changes and its history row committed together or not at all.";
          case NOT_ROLLED_BACK ->
              direction == Direction.UP
                  ? "It is not transactional: what it committed before the failure stays (NOT rolled back), and"
                      + " its history row was not written, so it runs again from the start on the next run: fix"
                      + " the data or make it safe to re-run first."
                  : "It is not transactional: what its down committed before the failure stays (NOT rolled"
                      + " back), and its history row was not deleted, so it still shows as applied.";
        };
    if (cause instanceof CommitRefusedException refused) {
      // Its message names the migration already.
      return refused.getMessage() + " " + facts;
    }
    // A driver's message may quote a JDBC URL: masked, as everywhere the runtime shows one.
    String what =
        Redaction.redact(
            cause instanceof DataMigrationException ? cause.getMessage() : String.valueOf(cause));
    return "Data migration "
        + migration
        + " failed while migrating "
        + direction.name().toLowerCase(Locale.ROOT)
        + ": "
        + what
        + (what.endsWith(".") ? " " : ". ")
        + facts;
  }

  /** Returns the migration that failed. */
  public MigrationDescriptor migration() {
    return migration;
  }

  /** Returns whether it failed in {@code up} or {@code down}. */
  public Direction direction() {
    return direction;
  }

  /** Returns what became of its changes: rolled back, not, or unknown (a failed commit). */
  public RollbackOutcome outcome() {
    return outcome;
  }

  /**
   * Returns whether its changes are known to be rolled back: {@link RollbackOutcome#ROLLED_BACK}
   * only.
   */
  public boolean rolledBack() {
    return outcome == RollbackOutcome.ROLLED_BACK;
  }
}
