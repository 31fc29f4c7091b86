package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.DryRun;
import dev.datamigrations.runtime.DryRunEntry;
import dev.datamigrations.runtime.DryRunOutcome;
import dev.datamigrations.runtime.DryRunReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dry-run path next to the engine's real one: the same lock (taken without creating the lock
 * table), the same planner on a full read of the history (without creating the history table: an
 * absent one reads as empty), then {@link DryStepRunner} instead of {@link StepRunner}. A planner
 * refusal is thrown exactly as the real verb throws it.
 */
final class DryRunner implements DryRun {
  private static final Logger LOG =
      LoggerFactory.getLogger("dev.datamigrations.runtime.MigrationRunner");

  private final RunnerEngine engine;

  DryRunner(RunnerEngine engine) {
    this.engine = engine;
  }

  @Override
  public DryRunReport migrate() {
    return run("migrate", planner -> planner.migrate(engine.options().outOfOrder()));
  }

  @Override
  public DryRunReport up(long version) {
    return run("up " + version, planner -> planner.up(version));
  }

  @Override
  public DryRunReport down(long version) {
    return run("down " + version, planner -> planner.down(version));
  }

  @Override
  public DryRunReport rollback(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("rollback steps must be at least 1, was " + steps);
    }
    return run("rollback " + steps, planner -> planner.rollback(steps));
  }

  private DryRunReport run(String verb, Function<Planner, Plan> planning) {
    long start = System.nanoTime();
    return engine.underRunLock(
        (lease, dialect, lock) -> {
          if (!lock.held()) {
            LOG.warn(
                "Dry run ({}) on {}: not locked, because the lock table {} does not exist and a dry"
                    + " run creates nothing; a real run started meanwhile is not kept out",
                verb,
                engine.table(),
                engine.table().lockTable());
          }
          HistoryTable history = new HistoryTable(dialect, engine.table());
          Plan plan =
              planning.apply(
                  new Planner(
                      engine.catalog(), history.readIfExists(lease.connection()), Map.of()));
          List<DryRunEntry> entries =
              plan.steps().isEmpty()
                  ? List.of()
                  : new DryStepRunner(
                          lease.handle(), dialect, engine.catalog(), engine.backfillHandler(), verb)
                      .runAll(plan.steps());
          DryRunReport report =
              new DryRunReport(
                  verb,
                  entries,
                  plan.alreadyApplied(),
                  lock.held(),
                  Duration.ofNanos(System.nanoTime() - start));
          log(report);
          return report;
        },
        false);
  }

  private void log(DryRunReport report) {
    long notRun =
        report.entries().stream()
            .filter(e -> e.outcome() == DryRunOutcome.NOT_DRY_RUNNABLE)
            .count();
    LOG.info(
        "Dry run ({}) on {}: {} planned, {} could not be dry-run, {}; {} rows changed by {}"
            + " statements, all rolled back, in {} ms",
        report.verb(),
        engine.table(),
        report.entries().size(),
        notRun,
        report
            .stoppedAt()
            .map(e -> "would stop at " + e.migration() + " (" + e.outcome() + ")")
            .orElse("none would fail"),
        report.rowsChanged(),
        report.statementCount(),
        report.duration().toMillis());
  }
}
