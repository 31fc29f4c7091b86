package dev.datamigrations.runtime;

/**
 * The verbs of {@link MigrationRunner}, run without changing anything: {@code
 * runner.dryRun().migrate()} takes the run lock, plans exactly as {@code migrate()} does (the same
 * refusals, thrown the same way), then runs the planned migrations in one transaction that is
 * always rolled back, and reports what each would change ({@link DryRunReport}). No history row is
 * written, and no table of the runner is created: on a database without the history table the plan
 * is made against an empty history.
 *
 * <pre>{@code
 * DryRunReport report = runner.dryRun().migrate();
 * report.entries().forEach(e -> System.out.println(e.migration() + ": " + e.outcome()));
 * }</pre>
 *
 * <p>Transaction rule: every planned migration runs on the run's one connection in a single
 * transaction, so a migration sees the changes of the ones planned before it; the transaction is
 * rolled back at the end, whatever happened. What cannot run inside a rolled-back transaction is
 * reported and not run ({@link DryRunOutcome#NOT_DRY_RUNNABLE}): {@code transactional = false}
 * migrations, and backfills (reported with an estimate of their rows and batches instead). Like the
 * real verb, a dry run stops at the first migration that would fail or be refused.
 */
public interface DryRun {

  /** Dry-runs {@link MigrationRunner#migrate()}: every pending migration, ascending. */
  DryRunReport migrate();

  /**
   * Dry-runs {@link MigrationRunner#up(long)}; an empty report if the version is applied.
   *
   * @throws UnknownMigrationVersionException if the code has no such version
   */
  DryRunReport up(long version);

  /**
   * Dry-runs {@link MigrationRunner#down(long)}.
   *
   * @throws UnknownMigrationVersionException if the code has no such version
   * @throws MigrationNotAppliedException if it is not applied
   * @throws IrreversibleMigrationException if it has no {@code down}
   */
  DryRunReport down(long version);

  /** Dry-runs {@link MigrationRunner#rollback()}: the newest applied version. */
  default DryRunReport rollback() {
    return rollback(1);
  }

  /**
   * Dry-runs {@link MigrationRunner#rollback(int)}: the {@code steps} newest applied versions,
   * newest first.
   *
   * @throws IllegalArgumentException if {@code steps} is less than 1
   */
  DryRunReport rollback(int steps);
}
