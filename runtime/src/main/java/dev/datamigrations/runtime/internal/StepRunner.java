package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.Direction;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationExecution;
import dev.datamigrations.runtime.MigrationFailedException;
import dev.datamigrations.runtime.MigrationListener;
import dev.datamigrations.runtime.RollbackOutcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the steps of a plan on one handle, with the transaction rules:
 *
 * <ul>
 *   <li>transactional: the migration and its history write in one transaction, committed together;
 *       any exception rolls both back;
 *   <li>not transactional: the migration in auto-commit mode, then its history write, only if it
 *       succeeded.
 * </ul>
 *
 * <p>Per transactional migration that is: {@code up}, one prepared INSERT, one commit. Auto-commit
 * is switched off once for a series of transactional migrations, not per migration, and restored at
 * the end.
 */
final class StepRunner implements AutoCloseable {
  private static final Logger LOG =
      LoggerFactory.getLogger("dev.datamigrations.runtime.MigrationRunner");

  private final Handle handle;
  private final RunLock lock;
  private final Connection connection;
  private final HistoryWriter history;
  private final CatalogIndex catalog;
  private final MigrationListener listener;
  private final BackfillHandler backfills;
  private final CommitGuard guard;

  /**
   * @param backfills forgets a reverted backfill's state; null if the catalog has no backfill
   */
  StepRunner(
      Handle handle,
      RunLock lock,
      HistoryWriter history,
      CatalogIndex catalog,
      MigrationListener listener,
      BackfillHandler backfills) {
    this.handle = handle;
    this.lock = lock;
    this.connection = handle.getConnection();
    this.history = history;
    this.catalog = catalog;
    this.listener = listener;
    this.backfills = backfills;
    this.guard = CommitGuard.of(connection);
  }

  /**
   * Runs {@code steps} in order; stops at the first failure, with a {@link
   * MigrationFailedException}.
   */
  List<MigrationExecution> runAll(List<Step> steps) {
    List<MigrationExecution> done = new ArrayList<>(steps.size());
    try {
      for (Step step : steps) {
        done.add(run(step));
      }
    } catch (DataMigrationException e) {
      throw e.addCompletedBefore(done);
    }
    return done;
  }

  private MigrationExecution run(Step step) {
    MigrationDescriptor migration = step.descriptor();
    if (step.outOfOrder()) {
      LOG.warn(
          "Applying data migration {} out of order: a higher version is already applied (a branch merged late?)",
          migration);
    }
    listener.started(migration, step.direction());
    long start = System.nanoTime();
    boolean transactional = migration.transactional();
    try {
      setAutoCommit(!transactional);
      Migration instance = catalog.instantiate(step.entry());
      // Where DDL commits implicitly, a transactional migration's DDL is refused before it runs.
      boolean guarded = transactional && guard != null;
      if (guarded) {
        guard.arm(migration);
      }
      Throwable thrown = null;
      try {
        if (step.direction() == Direction.UP) {
          instance.up(handle);
        } else {
          instance.down(handle);
        }
      } catch (Throwable t) {
        thrown = t;
      }
      Throwable refused = guarded ? guard.disarm() : null;
      if (refused != null) {
        // Also when the migration caught the refusal and went on: its transaction must not commit.
        if (thrown != null && thrown != refused) {
          refused.addSuppressed(thrown);
        }
        thrown = refused;
      }
      if (thrown != null) {
        throw thrown;
      }
    } catch (Throwable failure) {
      throw failed(step, transactional, failure);
    }
    Duration ran = Duration.ofNanos(System.nanoTime() - start);
    try {
      if (!transactional) {
        // Its changes are committed already; without the lock, its history row must not be written.
        lock.verify(connection);
      }
      if (step.direction() == Direction.UP) {
        history.applied(connection, migration, ran);
      } else {
        if (migration.backfill()) {
          // The history row, the progress and the batches go in one transaction: a crash between
          // them would
          // leave a progress row that says done and no history row.
          setAutoCommit(false);
        }
        if (history.table().delete(connection, migration.version()) != 1) {
          // Two runs reverted it at once (their locks did not exclude each other), or the row was
          // deleted by hand.
          throw new DataMigrationException(
              "its history row was gone when this run came to delete it: another run reverted it at the same"
                  + " time, or the row was deleted by hand");
        }
        if (migration.backfill()) {
          // Reverted: forget its batches, so that it runs again from the start.
          backfills.forget(connection, history.table().dialect(), migration.version());
        }
      }
      if (transactional) {
        // Inside the transaction, right before it commits: nothing commits without the lock.
        lock.verify(connection);
      } else if (!connection.getAutoCommit()) {
        // A backfill's down: its history row, progress and batches are forgotten together.
        connection.commit();
      }
    } catch (Throwable failure) {
      throw failed(step, transactional, failure);
    }
    if (transactional) {
      try {
        connection.commit();
      } catch (Throwable failure) {
        throw commitFailed(step, failure);
      }
    }
    MigrationExecution execution =
        new MigrationExecution(
            migration, step.direction(), Duration.ofNanos(System.nanoTime() - start));
    LOG.info(
        "{} data migration {} ({}) in {} ms",
        step.direction() == Direction.UP ? "Applied" : "Reverted",
        migration.version(),
        migration.description(),
        execution.duration().toMillis());
    listener.succeeded(execution);
    return execution;
  }

  /** Rolls back what can be, logs, tells the listener, and returns the exception to throw. */
  private RuntimeException failed(Step step, boolean transactional, Throwable failure) {
    RollbackOutcome outcome = RollbackOutcome.NOT_ROLLED_BACK;
    if (transactional) {
      outcome = RollbackOutcome.ROLLED_BACK;
      try {
        connection.rollback();
      } catch (SQLException | RuntimeException e) {
        // Never committed: the database discards the transaction when the connection closes.
        failure.addSuppressed(e);
        outcome = RollbackOutcome.ROLLBACK_FAILED;
      }
    } else {
      try {
        if (!connection.getAutoCommit()) {
          // A backfill's down failed in its bookkeeping: its history row, progress and batches stay
          // as they were.
          connection.rollback();
        }
      } catch (SQLException | RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
    return report(step, outcome, failure);
  }

  /** A failed COMMIT: the database may have committed or not; cleans up and says so. */
  private RuntimeException commitFailed(Step step, Throwable failure) {
    try {
      connection.rollback();
    } catch (SQLException | RuntimeException e) {
      failure.addSuppressed(e);
    }
    return report(step, RollbackOutcome.COMMIT_OUTCOME_UNKNOWN, failure);
  }

  private RuntimeException report(Step step, RollbackOutcome outcome, Throwable failure) {
    if (failure instanceof VirtualMachineError error) {
      throw error;
    }
    MigrationFailedException exception =
        new MigrationFailedException(step.descriptor(), step.direction(), outcome, failure);
    LOG.error(exception.getMessage());
    listener.failed(exception);
    return exception;
  }

  private void setAutoCommit(boolean autoCommit) throws SQLException {
    if (connection.getAutoCommit() != autoCommit) {
      connection.setAutoCommit(autoCommit);
    }
  }

  /** Leaves the connection as it found it: auto-commit on, nothing pending. */
  @Override
  public void close() {
    try {
      if (!connection.getAutoCommit()) {
        connection.rollback();
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new DataMigrationException(
          "Could not restore auto-commit on the migrations' connection: " + e, e);
    }
  }
}
