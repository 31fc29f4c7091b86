package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.Backfill;
import dev.datamigrations.runtime.BackfillState;
import dev.datamigrations.runtime.Batch;
import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.Direction;
import dev.datamigrations.runtime.HealthCheck;
import dev.datamigrations.runtime.KeyRange;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationFailedException;
import dev.datamigrations.runtime.MigrationListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of a backfill, on a handle of its own. Its loop: read the state (paused, cancelled: another process
 * may have said so), ask the health check, then claim the lowest open batch and process it in one transaction
 * that also marks it done; if none is open, hand out the next key range as a new batch (a short transaction on
 * the progress row); once the keys are exhausted and no batch is open, write the history row. A worker that dies
 * loses only its uncommitted batch, which the database unlocks and the next worker claims.
 */
final class BackfillWorker {
  private static final Logger LOG = LoggerFactory.getLogger("dev.datamigrations.runtime.MigrationRunner");

  /** Retries of a batch whose transaction the database aborted (deadlock, serialization failure). */
  private static final int RETRIES = 5;

  /** How many key ranges a worker hands out per allocation transaction. */
  private static final int ALLOCATE_AHEAD = 4;

  enum Outcome {
    DONE,
    CANCELLED,
    STOPPED
  }

  /** What all workers of one backfill in this process share. */
  record Job(
      MigrationDescriptor descriptor,
      Backfill backfill,
      KeyRange keys,
      BackfillTables tables,
      HistoryTable history,
      BackfillSettings settings,
      MigrationListener listener,
      String operator,
      String reason,
      BooleanSupplier stopRequested) {}

  private final Job job;
  private final Handle handle;
  private final Connection connection;
  private final String name;
  private final boolean reporter;
  private final long version;
  private int batchSize;
  private long nextReport;

  BackfillWorker(Job job, Handle handle, String name, boolean reporter) {
    this.job = job;
    this.handle = handle;
    this.connection = handle.getConnection();
    this.name = name;
    this.reporter = reporter;
    this.version = job.descriptor().version();
  }

  Outcome run() {
    try {
      connection.setAutoCommit(true);
      if (job.tables().dialect() == Dialect.MYSQL) {
        // No gap locks between workers: claims and allocations only need committed rows.
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      }
      BackfillTables.Row start = job.tables().read(connection, version, false);
      batchSize = start == null ? job.settings().batchSize() : start.batchSize();
      nextReport = System.nanoTime() + job.settings().progressInterval().toNanos();
      return loop();
    } catch (SQLException e) {
      throw new DataMigrationException("Backfill " + job.descriptor() + " failed on its progress tables: " + e, e);
    } finally {
      try {
        if (!connection.getAutoCommit()) {
          connection.rollback();
          connection.setAutoCommit(true);
        }
      } catch (SQLException e) {
        LOG.debug("Could not restore auto-commit", e);
      }
    }
  }

  private Outcome loop() throws SQLException {
    while (true) {
      if (job.stopRequested().getAsBoolean() || Thread.currentThread().isInterrupted()) {
        return Outcome.STOPPED;
      }
      BackfillTables.Row row = job.tables().read(connection, version, false);
      if (row == null) {
        throw new DataMigrationException("Backfill " + job.descriptor() + " lost its progress row");
      }
      switch (row.state()) {
        case DONE:
          report(true);
          return Outcome.DONE;
        case CANCELLED:
          LOG.info("Backfill {} is cancelled; worker {} stops", job.descriptor(), name);
          return Outcome.CANCELLED;
        case PAUSED:
          sleep(job.settings().pollInterval());
          continue;
        case RUNNING:
          break;
      }
      waitUntilHealthy();
      if (processOne()) {
        report(false);
        sleep(job.settings().pause());
        continue;
      }
      if (inTransaction(() -> job.tables().allocate(connection, version, job.keys(), batchSize, ALLOCATE_AHEAD))) {
        continue;
      }
      if (job.tables().openBatches(connection, version) == 0) {
        finish(row);
        report(true);
        return Outcome.DONE;
      }
      // Every open batch is claimed by another worker; one that dies leaves its batch open again.
      sleep(job.settings().pollInterval());
    }
  }

  /** Claims and processes one batch; returns false if no batch was open. */
  private boolean processOne() throws SQLException {
    for (int attempt = 1; ; attempt++) {
      connection.setAutoCommit(false);
      Batch batch = null;
      try {
        // From the claim to the commit: how long the batch's transaction, and so its row locks, lasted.
        long start = System.nanoTime();
        batch = job.tables().claim(connection, version);
        if (batch == null) {
          connection.commit();
          return false;
        }
        job.backfill().process(handle, batch);
        job.tables().markDone(connection, version, batch, Duration.ofNanos(System.nanoTime() - start), name);
        connection.commit();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (job.settings().tuning() != null) {
          batchSize = job.settings().tuning().next(batchSize, took);
        }
        LOG.debug("Backfill {}: batch {} ({} keys) in {} ms", version, batch.number(), batch.size(), took.toMillis());
        return true;
      } catch (Throwable failure) {
        rollback(failure);
        if (failure instanceof VirtualMachineError error) {
          throw error;
        }
        if (attempt < RETRIES && isTransient(failure)) {
          LOG.warn("Backfill {}: batch aborted by the database ({}); retrying", version, failure.toString());
          continue;
        }
        Throwable cause =
            batch == null
                ? failure
                : new DataMigrationException(
                    "batch " + batch.number() + " (keys " + batch.first() + " to " + batch.last() + "): " + failure,
                    failure);
        MigrationFailedException exception =
            new MigrationFailedException(job.descriptor(), Direction.UP, true, cause);
        LOG.error(exception.getMessage());
        job.listener().failed(exception);
        throw exception;
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }

  /** Marks the backfill done and writes its history row, once, whichever worker gets here first. */
  private void finish(BackfillTables.Row started) throws SQLException {
    inTransaction(
        () -> {
          BackfillTables.Row row = job.tables().read(connection, version, true);
          if (row.state() == BackfillState.DONE) {
            return false;
          }
          job.tables().changeState(connection, version, BackfillState.DONE, row.state());
          long millis = System.currentTimeMillis() - started.startedMillis();
          job.history()
              .insert(
                  connection,
                  new AppliedMigration(
                      version,
                      job.descriptor().description(),
                      job.descriptor().className(),
                      Instant.now(),
                      millis,
                      AppliedBy.describe(job.operator(), connection),
                      job.reason()));
          LOG.info("Backfill {} done in {} ms", job.descriptor(), millis);
          return true;
        });
  }

  private void waitUntilHealthy() {
    Duration wait =
        job.settings().pause().compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : job.settings().pause();
    while (true) {
      HealthCheck.Status status = job.settings().healthCheck().check(handle);
      if (status.healthy() || job.stopRequested().getAsBoolean()) {
        return;
      }
      LOG.warn("Backfill {} backs off for {} ms: {}", version, wait.toMillis(), status.reason());
      job.listener().backfillThrottled(job.descriptor(), status.reason(), wait);
      sleep(wait);
      wait = wait.multipliedBy(2).compareTo(job.settings().maxBackoff()) > 0 ? job.settings().maxBackoff() : wait.multipliedBy(2);
    }
  }

  private void report(boolean last) throws SQLException {
    if (!reporter || (!last && System.nanoTime() < nextReport)) {
      return;
    }
    nextReport = System.nanoTime() + job.settings().progressInterval().toNanos();
    var progress = job.tables().progress(connection, version);
    if (progress != null) {
      LOG.info("Backfill {}: {}", job.descriptor(), progress);
      job.listener().backfillProgress(job.descriptor(), progress);
    }
  }

  interface SqlWork {
    boolean run() throws SQLException;
  }

  private boolean inTransaction(SqlWork work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      connection.setAutoCommit(false);
      try {
        boolean result = work.run();
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback(e);
        if (attempt < RETRIES && isTransient(e)) {
          continue;
        }
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }

  private void rollback(Throwable failure) {
    try {
      connection.rollback();
    } catch (SQLException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** Returns whether the database aborted the transaction and a retry may succeed (SQLSTATE class 40). */
  private static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("40")) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(Duration duration) {
    if (duration.isZero() || duration.isNegative()) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
