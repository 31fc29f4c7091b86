package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.Direction;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationExecution;
import dev.datamigrations.runtime.MigrationFailedException;
import dev.datamigrations.runtime.MigrationListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the steps of a plan on one handle, with the transaction rules:
 *
 * <ul>
 *   <li>transactional: the migration and its history write in one transaction, committed together; any
 *       exception rolls both back;
 *   <li>not transactional: the migration in auto-commit mode, then its history write, only if it succeeded.
 * </ul>
 *
 * <p>Per transactional migration that is: {@code up}, one prepared INSERT, one commit. Auto-commit is switched
 * off once for a series of transactional migrations, not per migration, and restored at the end.
 */
final class StepRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("dev.datamigrations.runtime.MigrationRunner");

  private final Handle handle;
  private final Connection connection;
  private final HistoryTable history;
  private final CatalogIndex catalog;
  private final MigrationListener listener;
  private final String operator;
  private final String reason;
  private String appliedBy;

  StepRunner(
      Handle handle,
      HistoryTable history,
      CatalogIndex catalog,
      MigrationListener listener,
      String operator,
      String reason) {
    this.handle = handle;
    this.connection = handle.getConnection();
    this.history = history;
    this.catalog = catalog;
    this.listener = listener;
    this.operator = operator;
    this.reason = reason;
  }

  /** Runs {@code steps} in order; stops at the first failure, with a {@link MigrationFailedException}. */
  List<MigrationExecution> runAll(List<Step> steps) {
    List<MigrationExecution> done = new ArrayList<>(steps.size());
    for (Step step : steps) {
      done.add(run(step));
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
      if (step.direction() == Direction.UP) {
        instance.up(handle);
      } else {
        instance.down(handle);
      }
    } catch (Throwable failure) {
      throw failed(step, transactional, failure);
    }
    Duration ran = Duration.ofNanos(System.nanoTime() - start);
    try {
      if (step.direction() == Direction.UP) {
        history.insert(connection, row(migration, ran));
      } else {
        if (migration.backfill()) {
          // The history row, the progress and the batches go in one transaction: a crash between them would
          // leave a progress row that says done and no history row.
          setAutoCommit(false);
        }
        history.delete(connection, migration.version());
        if (migration.backfill()) {
          // Reverted: forget its batches, so that it runs again from the start.
          new BackfillTables(history.dialect(), history.name()).delete(connection, migration.version());
        }
      }
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (Throwable failure) {
      throw failed(step, transactional, failure);
    }
    MigrationExecution execution =
        new MigrationExecution(migration, step.direction(), Duration.ofNanos(System.nanoTime() - start));
    LOG.info(
        "{} data migration {} ({}) in {} ms",
        step.direction() == Direction.UP ? "Applied" : "Reverted",
        migration.version(),
        migration.description(),
        execution.duration().toMillis());
    listener.succeeded(execution);
    return execution;
  }

  private AppliedMigration row(MigrationDescriptor migration, Duration ran) {
    if (appliedBy == null) {
      appliedBy = AppliedBy.describe(operator, connection);
    }
    return new AppliedMigration(
        migration.version(),
        migration.description(),
        migration.className(),
        Instant.now(),
        ran.toMillis(),
        appliedBy,
        reason);
  }

  /** Rolls back what can be, logs, tells the listener, and returns the exception to throw. */
  private RuntimeException failed(Step step, boolean transactional, Throwable failure) {
    if (transactional) {
      try {
        connection.rollback();
      } catch (SQLException | RuntimeException e) {
        // The database rolls back a transaction whose connection is lost anyway.
        failure.addSuppressed(e);
      }
    }
    if (failure instanceof VirtualMachineError error) {
      throw error;
    }
    MigrationFailedException exception =
        new MigrationFailedException(step.descriptor(), step.direction(), transactional, failure);
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
      throw new DataMigrationException("Could not restore auto-commit on the migrations' connection: " + e, e);
    }
  }
}
