package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.BackfillEstimate;
import dev.datamigrations.runtime.CommitRefusedException;
import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.Direction;
import dev.datamigrations.runtime.DryRunEntry;
import dev.datamigrations.runtime.DryRunOutcome;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationRefusedException;
import dev.datamigrations.runtime.Redaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the steps of a plan for a dry run: all of them in one transaction on the run's handle, so
 * that each sees what the ones before it changed, rolled back at the end whatever happens; no
 * history row is written. Each migration runs with {@link CommitGuard} armed, exactly as {@link
 * StepRunner} runs it (so a statement that would commit, or DDL where the database commits it
 * implicitly, is refused before it reaches the database: the migration would fail for real too),
 * and with its statements recorded ({@link StatementLog}). What cannot run in a transaction that is
 * rolled back is not run; a backfill is estimated instead ({@link BackfillHandler#estimate}). Stops
 * running at the first migration that would fail or be refused, as the real verb would.
 */
final class DryStepRunner {
  private static final Logger LOG =
      LoggerFactory.getLogger("dev.datamigrations.runtime.MigrationRunner");

  private final Handle handle;
  private final Connection connection;
  private final Dialect dialect;
  private final CatalogIndex catalog;
  private final BackfillHandler backfills;
  private final String verb;

  DryStepRunner(
      Handle handle,
      Dialect dialect,
      CatalogIndex catalog,
      BackfillHandler backfills,
      String verb) {
    this.handle = handle;
    this.connection = handle.getConnection();
    this.dialect = dialect;
    this.catalog = catalog;
    this.backfills = backfills;
    this.verb = verb;
  }

  /** Runs {@code steps} in one transaction, rolls it back, and returns one entry per step. */
  List<DryRunEntry> runAll(List<Step> steps) {
    CommitGuard guard = CommitGuard.of(connection);
    if (guard == null) {
      throw new DataMigrationException(
          "Cannot dry-run "
              + verb
              + ": the migrations' connection is not one the runner opened, so its statements could be"
              + " neither counted nor kept from committing. Nothing was changed.");
    }
    List<DryRunEntry> entries = new ArrayList<>(steps.size());
    List<Long> notRun = new ArrayList<>();
    try {
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw new DataMigrationException(
          "Cannot dry-run "
              + verb
              + ": could not open a transaction: "
              + e
              + ". Nothing was changed.",
          e);
    }
    try {
      DryRunEntry stop = null;
      for (Step step : steps) {
        DryRunEntry entry =
            stop == null
                ? run(step, guard, notRun)
                : DryRunEntry.notRun(
                    step.descriptor(),
                    step.direction(),
                    DryRunOutcome.NOT_REACHED,
                    "not run: the dry run stopped at "
                        + stop.migration().version()
                        + ", where the real "
                        + verb
                        + " would stop",
                    null,
                    notRun);
        entries.add(entry);
        if (stop == null && entry.stopsTheRun()) {
          stop = entry;
        }
        if (entry.outcome() == DryRunOutcome.NOT_DRY_RUNNABLE) {
          notRun.add(step.descriptor().version());
        }
      }
    } finally {
      rollBack();
    }
    return entries;
  }

  private DryRunEntry run(Step step, CommitGuard guard, List<Long> notRun) {
    MigrationDescriptor migration = step.descriptor();
    if (migration.backfill() && step.direction() == Direction.UP) {
      return backfill(step, notRun);
    }
    if (!migration.transactional()) {
      return DryRunEntry.notRun(
          migration,
          step.direction(),
          DryRunOutcome.NOT_DRY_RUNNABLE,
          migration.backfill()
              ? "a backfill's down runs in auto-commit, committing as it goes, so it cannot run inside a"
                  + " transaction that is rolled back; not run"
              : "transactional = false: it runs in auto-commit, committing as it goes, so it cannot run"
                  + " inside a transaction that is rolled back; not run",
          null,
          notRun);
    }
    StatementLog log = new StatementLog();
    long start = System.nanoTime();
    Throwable thrown = null;
    guard.record(log);
    guard.arm(migration);
    try {
      Migration instance = catalog.instantiate(step.entry());
      if (step.direction() == Direction.UP) {
        instance.up(handle);
      } else {
        instance.down(handle);
      }
    } catch (Throwable t) {
      thrown = t;
    } finally {
      CommitRefusedException refused = guard.disarm();
      guard.stopRecording();
      log.finish();
      if (refused != null) {
        // Also when the migration caught the refusal and went on: the real run would fail on it.
        if (thrown != null && thrown != refused) {
          refused.addSuppressed(thrown);
        }
        thrown = refused;
      }
    }
    if (thrown instanceof VirtualMachineError error) {
      throw error;
    }
    Duration ran = Duration.ofNanos(System.nanoTime() - start);
    String reason =
        thrown == null
            ? null
            : "failed while migrating "
                + (step.direction() == Direction.UP ? "up" : "down")
                + ": "
                + describe(thrown);
    LOG.info(
        "Dry run of data migration {} ({}): {}, {} rows changed by {} statements, in {} ms",
        migration.version(),
        step.direction(),
        reason == null ? "would succeed" : "would fail: " + reason,
        log.rowsChanged(),
        log.statementCount(),
        ran.toMillis());
    return new DryRunEntry(
        migration,
        step.direction(),
        thrown == null ? DryRunOutcome.WOULD_SUCCEED : DryRunOutcome.WOULD_FAIL,
        reason,
        log.statements(),
        log.statementCount(),
        log.rowsChanged(),
        ran,
        null,
        notRun);
  }

  /** Estimates a backfill instead of running it; refused where the real run would refuse it. */
  private DryRunEntry backfill(Step step, List<Long> notRun) {
    MigrationDescriptor migration = step.descriptor();
    if (backfills == null) {
      throw new IllegalStateException("no backfill layer is installed, yet a backfill was planned");
    }
    BackfillEstimate estimate;
    try {
      estimate = backfills.estimate(connection, dialect, step);
    } catch (MigrationRefusedException e) {
      return DryRunEntry.notRun(
          migration,
          step.direction(),
          DryRunOutcome.REFUSED,
          Redaction.redact(e.getMessage()),
          null,
          notRun);
    } catch (SQLException | RuntimeException e) {
      return DryRunEntry.notRun(
          migration,
          step.direction(),
          DryRunOutcome.WOULD_FAIL,
          "could not be estimated: " + describe(e),
          null,
          notRun);
    }
    return DryRunEntry.notRun(
        migration,
        step.direction(),
        DryRunOutcome.NOT_DRY_RUNNABLE,
        "a backfill commits batch by batch, so it cannot run inside a transaction that is rolled back;"
            + " not run. Estimated: "
            + estimate.rows()
            + " rows"
            + (estimate.rowsDone() > 0 ? " (" + estimate.rowsDone() + " done already)" : "")
            + ", "
            + estimate.batches()
            + " batches of "
            + estimate.batchSize()
            + " keys",
        estimate,
        notRun);
  }

  /**
   * Returns the failure as one line without bound values (Jdbi's message lists a statement's
   * arguments, which may be secrets), credentials masked.
   */
  private static String describe(Throwable failure) {
    String text =
        failure instanceof StatementException statement
            ? statement.getClass().getName() + ": " + statement.getShortMessage()
            : failure.toString();
    return Redaction.redact(text);
  }

  /**
   * Rolls the dry run's transaction back and restores auto-commit. If the rollback fails, the
   * connection is aborted, never switched to auto-commit (which would commit the open transaction):
   * the database discards a transaction that was never committed.
   */
  private void rollBack() {
    try {
      connection.rollback();
    } catch (SQLException | RuntimeException e) {
      try {
        connection.abort(Runnable::run);
      } catch (SQLException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new DataMigrationException(
          "The dry run ("
              + verb
              + ") could not roll back its transaction: "
              + Redaction.redact(e.toString())
              + ". It was never committed; its connection was aborted, so the database discards it.",
          e);
    }
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      throw new DataMigrationException(
          "Could not restore auto-commit on the migrations' connection after a dry run: " + e, e);
    }
  }
}
