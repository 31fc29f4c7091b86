package dev.datamigrations.runtime.backfill.internal;

import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.Direction;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationFailedException;
import dev.datamigrations.runtime.MigrationListener;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.BatchFailure;
import dev.datamigrations.runtime.backfill.HealthCheck;
import dev.datamigrations.runtime.backfill.LockWaitThrottle;
import dev.datamigrations.runtime.internal.CommitGuard;
import dev.datamigrations.runtime.internal.Dialect;
import dev.datamigrations.runtime.internal.HistoryWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of a backfill, on a handle of its own. Its loop: read the state (paused, cancelled:
 * another process may have said so), ask the health check, then claim the lowest open batch and
 * process it in one transaction that also marks it done; if none is open, hand out the next key
 * range as a new batch (a short transaction on the progress row); once the keys are exhausted and
 * no batch is open, write the history row. A worker that dies loses only its uncommitted batch,
 * which the database unlocks and the next worker claims.
 */
final class BackfillWorker {
  private static final Logger LOG =
      LoggerFactory.getLogger("dev.datamigrations.runtime.MigrationRunner");

  /**
   * Retries of a batch whose transaction the database aborted (deadlock, serialization failure).
   */
  private static final int RETRIES = 5;

  /**
   * How many key ranges a worker hands out per allocation transaction: 16, or 4 while a tuner or
   * throttle may change the batch size (ranges handed out keep the size they were given).
   */
  private static final int ALLOCATE_AHEAD = 16;

  private static final int ALLOCATE_AHEAD_WHILE_TUNING = 4;

  enum Outcome {
    DONE,
    CANCELLED,
    FAILED,
    STOPPED
  }

  /** What all workers of one backfill in this process share. */
  record Job(
      MigrationDescriptor descriptor,
      BatchSource source,
      BackfillTables tables,
      HistoryWriter history,
      BackfillSettings settings,
      MigrationListener listener,
      BooleanSupplier stopRequested,
      AtomicInteger batchesInFlight) {

    /** Returns this job with another stop condition, for the threads of one run. */
    Job stoppingWhen(BooleanSupplier stop) {
      return new Job(
          descriptor, source, tables, history, settings, listener, stop, batchesInFlight);
    }
  }

  private final Job job;
  private final Handle handle;
  private final Connection connection;
  private final String name;
  private final boolean reporter;
  private final long version;
  private int batchSize;
  private long nextReport;

  /** The open part of the batch being processed: its first key moves with each sub-batch. */
  private Batch current;

  /** How often a sleeping worker looks whether a stop was requested. */
  private static final long STOP_CHECK_MILLIS = 100;

  /** How often {@link #yieldToBusySessions} asks the database again (it uses the last answer). */
  private static final long BUSY_ASK_INTERVAL_NANOS = Duration.ofMillis(100).toNanos();

  /** The other busy sessions at the last ask, and when it was. */
  private long busy;

  private long busyAskedAt = System.nanoTime() - BUSY_ASK_INTERVAL_NANOS;

  /** How long the last committed transaction of the last processed batch lasted. */
  private Duration lastTook = Duration.ZERO;

  /** Batches in a row that blocked no session, for the throttle. */
  private int clearInARow;

  /** Whether a transaction this worker began is neither committed nor rolled back. */
  private boolean pending;

  /** What the health check is told: this backfill and the table it walks. */
  private final HealthCheck.Context healthContext;

  BackfillWorker(Job job, Handle handle, String name, boolean reporter) {
    this.job = job;
    this.handle = handle;
    this.connection = handle.getConnection();
    this.name = name;
    this.reporter = reporter;
    this.version = job.descriptor().version();
    this.healthContext = new HealthCheck.Context(job.descriptor(), job.source().walkedTable());
  }

  /**
   * Works until the backfill is done, cancelled or stopped. Leaves the connection as it found it:
   * auto-commit on and its own isolation level (a pooled connection goes back to the pool
   * unchanged).
   */
  Outcome run() {
    Integer originalIsolation = null;
    String originalName = null;
    try {
      connection.setAutoCommit(true);
      Integer isolation = job.tables().dialect().backfillWorkerIsolation();
      if (isolation != null && connection.getTransactionIsolation() != isolation) {
        originalIsolation = connection.getTransactionIsolation();
        connection.setTransactionIsolation(isolation);
      }
      originalName = nameSession();
      // The batch size configured now, not the one stored when the backfill started: a restart with
      // another
      // batch size means it. Within the tuner's bounds from the first batch on.
      int configured = job.settings().batchSize();
      batchSize =
          job.settings().tuning().map(tuning -> tuning.clamp(configured)).orElse(configured);
      nextReport = System.nanoTime() + job.settings().progressInterval().toNanos();
      return loop();
    } catch (SQLException e) {
      throw new DataMigrationException(
          "Backfill " + job.descriptor() + " failed on its progress tables: " + e, e);
    } finally {
      try {
        endTransaction();
        if (originalIsolation != null) {
          connection.setTransactionIsolation(originalIsolation);
        }
        if (originalName != null) {
          setSessionName(originalName);
        }
      } catch (SQLException e) {
        LOG.warn(
            "Backfill {}: could not restore the connection's auto-commit, isolation and name: {}",
            version,
            e.toString());
      }
    }
  }

  private Outcome loop() throws SQLException {
    BackfillTables.Row row = null;
    // Whether the last pass processed a batch: its transaction read the state as RUNNING just
    // before, and the next batch's transaction reads it again, so the read at the top is skipped.
    boolean processed = false;
    while (true) {
      if (job.stopRequested().getAsBoolean() || Thread.currentThread().isInterrupted()) {
        return Outcome.STOPPED;
      }
      if (processed) {
        processed = false;
      } else {
        row = readState();
      }
      switch (row.state()) {
        case DONE:
          report(true);
          return Outcome.DONE;
        case CANCELLED:
          LOG.info("Backfill {} is cancelled; worker {} stops", job.descriptor(), name);
          return Outcome.CANCELLED;
        case FAILED:
          LOG.info("Backfill {} failed; worker {} stops", job.descriptor(), name);
          report(true);
          return Outcome.FAILED;
        case PAUSED:
          sleep(job.settings().pollInterval());
          continue;
        case RUNNING:
          break;
      }
      if (!waitUntilHealthy()) {
        continue; // stopped, paused or cancelled while backing off: the top of the loop says which
      }
      Claim claim = processOne();
      if (claim == Claim.PROCESSED) {
        report(false);
        // After the batch left batchesInFlight: a pausing worker holds no batch.
        yieldToBusySessions(lastTook);
        sleep(job.settings().pauseBetweenBatches());
        processed = true;
        continue;
      } else if (claim == Claim.NOT_RUNNING || claim == Claim.FAILED) {
        continue; // paused, cancelled or failed since the read above: the next read says which
      }
      // Handing out ranges commits like a batch (see beginBatchTransaction): a lost allocation
      // loses its batch rows and the moved cursor together, and is made again.
      if (inTransaction(
          true,
          () ->
              job.tables()
                  .allocate(
                      connection,
                      version,
                      job.source(),
                      batchSize,
                      job.settings().tuning().isPresent() || job.settings().throttle().isPresent()
                          ? ALLOCATE_AHEAD_WHILE_TUNING
                          : ALLOCATE_AHEAD))) {
        continue;
      }
      if (job.tables().openBatches(connection, version) == 0) {
        if (finish(row)) {
          report(true);
          return Outcome.DONE;
        }
        continue; // paused or cancelled meanwhile: the next read of the state says which
      }
      // Every open batch is claimed by another worker; one that dies leaves its batch open again.
      sleep(job.settings().pollInterval());
    }
  }

  private BackfillTables.Row readState() throws SQLException {
    BackfillTables.Row row = job.tables().read(connection, version, false);
    if (row == null) {
      throw new DataMigrationException("Backfill " + job.descriptor() + " lost its progress row");
    }
    return row;
  }

  /** What {@link #processOne} did. */
  private enum Claim {
    PROCESSED,
    NONE_OPEN,
    NOT_RUNNING,
    /** The batch failed, rolled back and was recorded. */
    FAILED
  }

  /**
   * Claims and processes one batch, unless the backfill is no longer running or no batch is open.
   * The state is read again inside the batch's transaction: a pause or cancel that committed after
   * the loop's read (while the health check was asked) stops this batch, so that none starts after
   * {@code pause} or {@code cancel} returned. A batch the database aborted (deadlock, serialization
   * failure) is attempted again at once; any other failure rolls back and is {@link #failed
   * recorded}.
   */
  private Claim processOne() throws SQLException {
    for (int attempt = 1; ; attempt++) {
      Batch batch = null;
      current = null;
      // Counted before the transaction begins: one that begins once the count read 0 after a pause
      // committed reads the pause, so that "none in flight" means none of this process commits.
      job.batchesInFlight().incrementAndGet();
      try {
        // From the claim to the commit: how long the batch's transaction, and so its row locks,
        // lasted.
        long start = System.nanoTime();
        beginTransaction();
        // The claim reads the state itself (only a RUNNING backfill's batch is claimed) and, on
        // PostgreSQL, turns off synchronous_commit for this transaction (see
        // beginBatchTransaction).
        batch = job.tables().claim(connection, version, true, relaxedCommitExpression());
        if (batch == null) {
          BackfillTables.Row now = job.tables().read(connection, version, false);
          commit();
          return now == null || now.state() != BackfillState.RUNNING
              ? Claim.NOT_RUNNING
              : Claim.NONE_OPEN;
        }
        current = batch;
        Duration took = runClaimed(batch, start);
        if (job.settings().tuning().isPresent()) {
          batchSize = job.settings().tuning().get().next(batchSize, took);
        }
        LOG.debug(
            "Backfill {}: batch {} ({} keys) in {} ms",
            version,
            batch.number(),
            batch.size(),
            took.toMillis());
        return Claim.PROCESSED;
      } catch (Throwable failure) {
        rollback(failure);
        if (failure instanceof VirtualMachineError error) {
          throw error;
        }
        if (attempt < RETRIES && isTransient(failure)) {
          LOG.warn(
              "Backfill {}: batch aborted by the database ({}); retrying",
              version,
              failure.toString());
          continue;
        }
        if (batch == null) {
          // Not the batch's fault: the backfill tables themselves failed.
          MigrationFailedException exception =
              new MigrationFailedException(job.descriptor(), Direction.UP, true, failure);
          LOG.error(exception.getMessage());
          job.listener().failed(exception);
          throw exception;
        }
        // The batch timeout is a session setting on some databases (MariaDB, H2): lifted first, so
        // that recording the failure and splitting the batch (a count over its range) are not
        // cancelled by the bound the batch itself ran past.
        resetStatementTimeout();
        // With sub-batches, the batch as it is now: from its first uncommitted sub-batch.
        failed(current == null ? batch : current, failure);
        return Claim.FAILED;
      } finally {
        try {
          endTransaction();
          resetStatementTimeout();
        } finally {
          job.batchesInFlight().decrementAndGet();
        }
      }
    }
  }

  /**
   * Processes claimed {@code batch} in the transaction begun at {@code start} and commits it, whole
   * or, with sub-batches on, one sub-batch per transaction while this worker can keep it (each
   * later sub-batch locks the batch row again, skipping it if another worker took it meanwhile).
   * Returns the longest transaction.
   */
  private Duration runClaimed(Batch batch, long start) throws Throwable {
    // Sub-batches need a key the database can count through: one integer column of a table.
    if (subBatchSize() == 0
        || batch.size() <= subBatchSize()
        || job.source().integerTable().isEmpty()) {
      armStatementTimeout();
      process(batch);
      boolean blocked = blockedSomeone();
      job.tables()
          .markDone(connection, version, batch, Duration.ofNanos(System.nanoTime() - start), name);
      commit();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      throttle(blocked);
      lastTook = took;
      return took;
    }
    Duration longest = Duration.ZERO;
    Batch open = batch;
    while (true) {
      armStatementTimeout();
      current = open;
      Batch sub =
          job.tables()
              .subBatch(
                  connection,
                  job.source().integerTable().orElseThrow(),
                  open.number(),
                  open.first(),
                  open.last(),
                  subBatchSize());
      boolean last = sub == null || sub.last() >= open.last();
      boolean blocked = false;
      if (sub != null) {
        process(sub);
        blocked = blockedSomeone();
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      longest = took.compareTo(longest) > 0 ? took : longest;
      if (last) {
        job.tables().markDone(connection, version, open, longest, name);
      } else {
        job.tables().advance(connection, version, open.number(), sub.last() + 1);
      }
      commit();
      resetStatementTimeout();
      throttle(blocked);
      if (last) {
        lastTook = took; // the loop yields after the batch
        return longest;
      }
      yieldToBusySessions(took);
      start = System.nanoTime();
      beginBatchTransaction();
      BackfillTables.Row now = job.tables().read(connection, version, false);
      open =
          now == null || now.state() != BackfillState.RUNNING
              ? null
              : job.tables().openBatch(connection, version, open.number());
      if (open == null) {
        // Paused, cancelled, or another worker took the rest: its first key says where it is.
        commit();
        return longest;
      }
    }
  }

  /**
   * Returns the keys per sub-batch now, 0 for none: the configured sub-batch size, and with the
   * throttle on, at most the batch size it shrank to (batches handed out before it shrank are
   * processed in sub-batches of the new size).
   */
  private int subBatchSize() {
    int configured = job.settings().subBatchSize();
    if (job.settings().throttle().isEmpty()) {
      return configured;
    }
    return configured == 0 ? batchSize : Math.min(configured, batchSize);
  }

  /**
   * Records a failed attempt of {@code batch}, which rolled back, and decides what comes next, in
   * one transaction with the progress row locked: a batch that ran past the batch timeout is split
   * in halves (down to one key); otherwise it is attempted again after a back-off, unless this was
   * its last attempt or more than half of the backfill's recent attempts (in every process) failed:
   * then the backfill fails. Its batch was open from the rollback to this transaction: if another
   * worker claimed it meanwhile (or did it), that worker's attempt decides the batch's fate, and
   * this one is recorded without failing, splitting or delaying it.
   */
  private void failed(Batch batch, Throwable failure) throws SQLException {
    boolean timedOut = isStatementTimeout(failure);
    int maxAttempts = job.settings().maxAttempts();
    int windowSize = job.settings().failureWindow();
    String[] outcome = new String[1];
    BatchFailure[] recorded = new BatchFailure[1];
    boolean failedNow =
        inTransaction(
            () -> {
              if (job.tables().read(connection, version, true) == null) {
                return false;
              }
              int attempt = job.tables().failedAttempts(connection, version, batch.number()) + 1;
              long now = System.currentTimeMillis();
              BackfillTables.Window window = job.tables().window(connection, version, windowSize);
              boolean overThreshold = window.overThreshold(windowSize);
              // Locks the batch row again, skipping it if another worker holds it.
              boolean taken = job.tables().openBatch(connection, version, batch.number()) == null;
              if (!taken
                  && timedOut
                  && !overThreshold
                  && job.tables().split(connection, version, job.source(), batch.number())) {
                outcome[0] = "ran past the batch timeout: split in halves, each attempted again";
                recorded[0] =
                    job.tables()
                        .recordFailure(
                            connection,
                            version,
                            batch,
                            attempt,
                            failure,
                            name,
                            outcome[0],
                            now,
                            true);
                return false;
              }
              boolean last = !taken && attempt >= maxAttempts;
              long retryAt = now;
              if (last) {
                outcome[0] =
                    "its last attempt ("
                        + attempt
                        + " of "
                        + maxAttempts
                        + "): the backfill failed";
              } else if (overThreshold) {
                outcome[0] = window + ": the backfill failed";
              } else if (taken) {
                outcome[0] =
                    "attempt "
                        + attempt
                        + " of "
                        + maxAttempts
                        + "; meanwhile another worker "
                        + (job.tables().isDone(connection, version, batch.number())
                            ? "did the batch"
                            : "took the batch");
              } else {
                Duration wait = retryWait(attempt);
                retryAt = now + wait.toMillis();
                outcome[0] =
                    "attempt "
                        + attempt
                        + " of "
                        + maxAttempts
                        + ", retried after "
                        + wait.toMillis()
                        + " ms";
              }
              recorded[0] =
                  job.tables()
                      .recordFailure(
                          connection,
                          version,
                          batch,
                          attempt,
                          failure,
                          name,
                          outcome[0],
                          retryAt,
                          false);
              return (last || overThreshold)
                  && job.tables()
                      .changeState(
                          connection,
                          version,
                          BackfillState.FAILED,
                          BackfillState.RUNNING,
                          BackfillState.PAUSED);
            });
    String what =
        "batch "
            + batch.number()
            + " (keys "
            + batch.firstKey()
            + " to "
            + batch.lastKey()
            + ") failed and was rolled back: "
            + FailureText.summary(failure, BackfillTables.MAX_MESSAGE)
            + "; "
            + outcome[0];
    if (recorded[0] != null) {
      // Told after the record committed: a listener that throws changes nothing recorded.
      try {
        job.settings().listener().backfillBatchFailed(job.descriptor(), recorded[0]);
      } catch (RuntimeException e) {
        LOG.warn("Backfill {}: a listener failed on a failed batch: {}", version, e.toString());
      }
    }
    if (failedNow) {
      MigrationFailedException exception =
          new MigrationFailedException(
              job.descriptor(), Direction.UP, true, new DataMigrationException(what, failure));
      LOG.error("Backfill {}: {}", job.descriptor(), what);
      job.listener().failed(exception);
    } else {
      LOG.warn("Backfill {}: {}", job.descriptor(), what);
    }
  }

  /** Returns the wait before attempt {@code failed + 1}: the back-off doubled per attempt. */
  private Duration retryWait(int failed) {
    Duration wait = job.settings().retryBackoff().multipliedBy(1L << Math.min(failed - 1, 20));
    return wait.compareTo(job.settings().maxBackoff()) > 0 ? job.settings().maxBackoff() : wait;
  }

  /** Bounds the statements of the batch's transaction, if a batch timeout is set. */
  private void armStatementTimeout() throws SQLException {
    if (job.settings().batchTimeout().isPresent()) {
      String sql =
          job.tables()
              .dialect()
              .statementTimeoutSql(job.settings().batchTimeout().get().toMillis());
      if (sql != null) {
        execute(sql);
      }
    }
  }

  /** Lifts the bound after the transaction, where it is a session setting. */
  private void resetStatementTimeout() {
    if (job.settings().batchTimeout().isEmpty()) {
      return;
    }
    String sql = job.tables().dialect().resetStatementTimeoutSql();
    if (sql != null) {
      try {
        execute(sql);
      } catch (SQLException e) {
        LOG.warn("Backfill {}: could not lift the batch timeout: {}", version, e.toString());
      }
    }
  }

  /**
   * Returns whether, with the throttle on, another session waits for a lock this worker holds;
   * asked just before the commit, while the batch still holds its locks.
   */
  private boolean blockedSomeone() throws SQLException {
    if (job.settings().throttle().isEmpty()) {
      return false;
    }
    try (Statement statement = connection.createStatement();
        java.sql.ResultSet rows =
            statement.executeQuery(job.tables().dialect().sessionsWaitingOnThisOneSql())) {
      return rows.next() && rows.getLong(1) > 0;
    }
  }

  /**
   * After a batch's commit, with the throttle on: shrinks the batch size and pauses if the batch
   * blocked a session; grows it back after enough batches that blocked nobody.
   */
  private void throttle(boolean blocked) {
    if (job.settings().throttle().isEmpty()) {
      return;
    }
    LockWaitThrottle throttle = job.settings().throttle().get();
    clearInARow = blocked ? 0 : clearInARow + 1;
    int ceiling = job.settings().tuning().map(t -> t.maxSize()).orElse(job.settings().batchSize());
    int before = batchSize;
    batchSize = throttle.next(batchSize, blocked, clearInARow, ceiling);
    if (batchSize > before) {
      clearInARow = 0;
    }
    if (blocked) {
      String reason =
          "another session waited on this worker's locks: batch size "
              + before
              + " -> "
              + batchSize;
      LOG.debug("Backfill {} yields for {} ms: {}", version, throttle.pause().toMillis(), reason);
      job.settings().listener().backfillThrottled(job.descriptor(), reason, throttle.pause());
      sleep(throttle.pause());
    }
  }

  /**
   * Runs the backfill's {@code process} on the batch, with the connection's {@link CommitGuard}
   * armed: a batch that commits (or, where DDL commits implicitly, runs DDL) would leave its rows
   * changed and the batch open, to be processed again; it is refused before it runs, and the batch
   * rolls back whole.
   */
  private void process(Batch batch) throws Throwable {
    CommitGuard guard = CommitGuard.of(connection);
    if (guard == null) {
      job.source().process(handle, batch);
      return;
    }
    guard.arm(job.descriptor());
    Throwable thrown = null;
    try {
      job.source().process(handle, batch);
    } catch (Throwable t) {
      thrown = t;
    }
    Throwable refused = guard.disarm();
    if (refused != null) {
      // Also when process caught the refusal and went on: the batch must not commit.
      if (thrown != null && thrown != refused) {
        refused.addSuppressed(thrown);
      }
      thrown = refused;
    }
    if (thrown != null) {
      throw thrown;
    }
  }

  /**
   * Marks the backfill done and writes its history row, in one transaction, once, whichever worker
   * gets here first. Only from RUNNING (compare-and-set): a pause or cancel that landed after the
   * last batch wins, and the backfill stays paused or cancelled. Returns whether the backfill is
   * done.
   */
  private boolean finish(BackfillTables.Row started) throws SQLException {
    return inTransaction(
        () -> {
          BackfillTables.Row row = job.tables().read(connection, version, true);
          if (row.state() == BackfillState.DONE) {
            return true;
          }
          if (row.state() != BackfillState.RUNNING
              || job.tables().openBatches(connection, version) != 0
              || !job.tables()
                  .changeState(connection, version, BackfillState.DONE, BackfillState.RUNNING)) {
            return false;
          }
          long millis = System.currentTimeMillis() - started.startedMillis();
          job.history().applied(connection, job.descriptor(), Duration.ofMillis(millis));
          LOG.info("Backfill {} done in {} ms", job.descriptor(), millis);
          return true;
        });
  }

  /**
   * Asks the health check until it answers healthy, backing off in between. A check that throws (or
   * answers null) counts as unhealthy, with the exception as the reason: a failing check never
   * stops the backfill, and never lets a batch through. Returns true when healthy; false, without
   * waiting longer, when a stop is requested or the backfill was paused or cancelled while it
   * backed off (a back-off can last minutes: a cancelled worker must not wait for the database to
   * recover, nor run one more batch then).
   */
  private boolean waitUntilHealthy() throws SQLException {
    Duration wait =
        job.settings().pauseBetweenBatches().compareTo(Duration.ofMillis(100)) < 0
            ? Duration.ofMillis(100)
            : job.settings().pauseBetweenBatches();
    while (true) {
      HealthCheck.Status status;
      try {
        status = job.settings().healthCheck().check(handle, healthContext);
        if (status == null) {
          status = HealthCheck.Status.unhealthy("the health check answered null");
        }
      } catch (RuntimeException e) {
        status = HealthCheck.Status.unhealthy("the health check failed: " + e);
        if (!connection.getAutoCommit()) { // it left a transaction open
          connection.rollback();
          connection.setAutoCommit(true);
        }
      }
      if (status.healthy()) {
        return true;
      }
      if (job.stopRequested().getAsBoolean()) {
        return false;
      }
      LOG.warn("Backfill {} backs off for {} ms: {}", version, wait.toMillis(), status.reason());
      job.settings().listener().backfillThrottled(job.descriptor(), status.reason(), wait);
      sleep(wait);
      BackfillTables.Row now = job.tables().read(connection, version, false);
      if (job.stopRequested().getAsBoolean()
          || now == null
          || now.state() != BackfillState.RUNNING) {
        return false;
      }
      wait =
          wait.multipliedBy(2).compareTo(job.settings().maxBackoff()) > 0
              ? job.settings().maxBackoff()
              : wait.multipliedBy(2);
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
      job.settings().listener().backfillProgress(job.descriptor(), progress);
    }
  }

  interface SqlWork {
    boolean run() throws SQLException;
  }

  private boolean inTransaction(SqlWork work) throws SQLException {
    return inTransaction(false, work);
  }

  /** Runs {@code work} in a transaction, committed like a batch's if {@code asBatch}. */
  private boolean inTransaction(boolean asBatch, SqlWork work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        if (asBatch) {
          beginBatchTransaction();
        } else {
          beginTransaction();
        }
        boolean result = work.run();
        commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback(e);
        if (attempt < RETRIES && isTransient(e)) {
          continue;
        }
        throw e;
      } finally {
        endTransaction();
      }
    }
  }

  /**
   * Opens a transaction that will write: {@code setAutoCommit(false)}, or where the dialect says so
   * (SQLite's {@code BEGIN IMMEDIATE}) an explicit statement in auto-commit mode, so that it takes
   * the write lock first.
   */
  /**
   * Begins a batch's transaction: on PostgreSQL with {@code synchronous_commit} off for this
   * transaction only, unless {@link BackfillSettings#durableBatchCommits()}. The batch's rows and
   * its done mark commit together, so a server crash that loses the commit loses both, and the
   * batch runs again.
   */
  private void beginBatchTransaction() throws SQLException {
    beginTransaction();
    String relaxed = relaxedCommitExpression();
    if (relaxed != null) {
      execute("SELECT " + relaxed);
    }
  }

  /** Returns the expression that makes this transaction's commit not wait, or null for none. */
  private String relaxedCommitExpression() {
    return job.settings().durableBatchCommits()
        ? null
        : job.tables().dialect().relaxedCommitExpression();
  }

  /**
   * Names this worker's session (PostgreSQL) so that {@link #yieldToBusySessions} does not count
   * the backfill's own workers as the application's traffic. Returns the name it had, to be set
   * back, or null if sessions are not named here or the pause is off.
   */
  private String nameSession() throws SQLException {
    String get = job.tables().dialect().applicationNameSql();
    if (get == null
        || (job.settings().busyPause() == 0
            && job.settings().throttle().map(t -> t.busyPause() == 0).orElse(true))) {
      return null;
    }
    String original;
    try (Statement statement = connection.createStatement();
        java.sql.ResultSet rows = statement.executeQuery(get)) {
      original = rows.next() ? rows.getString(1) : "";
    }
    setSessionName(Dialect.BACKFILL_APPLICATION_NAME + " " + version + " " + name);
    return original == null ? "" : original;
  }

  private void setSessionName(String sessionName) throws SQLException {
    try (java.sql.PreparedStatement statement =
        connection.prepareStatement(job.tables().dialect().setApplicationNameSql())) {
      // PostgreSQL keeps the first 63 bytes of an application name.
      statement.setString(
          1, sessionName.length() > 60 ? sessionName.substring(0, 60) : sessionName);
      statement.execute();
    }
  }

  /**
   * After a batch (or sub-batch) that took {@code took}: if another session is busy now (running a
   * statement or holding a transaction open), pauses for {@link BackfillSettings#busyPause()} times
   * {@code took}, leaving the database to the application that share of the time. Asked outside the
   * batch's transaction, so no row lock is held while it waits.
   */
  private void yieldToBusySessions(Duration took) {
    String sql = job.tables().dialect().busySessionsSql();
    double multiple =
        Math.max(
            job.settings().busyPause(),
            job.settings().throttle().map(LockWaitThrottle::busyPause).orElse(0.0));
    if (sql == null || multiple == 0) {
      return;
    }
    long now = System.nanoTime();
    if (now - busyAskedAt >= BUSY_ASK_INTERVAL_NANOS) {
      busyAskedAt = now;
      try (Statement statement = autoCommitted().createStatement();
          java.sql.ResultSet rows = statement.executeQuery(sql)) {
        busy = rows.next() ? rows.getLong(1) : 0;
      } catch (SQLException e) {
        // A courtesy, after a batch that committed: a failed ask fails nothing, and pauses not.
        LOG.warn("Backfill {}: could not count the busy sessions: {}", version, e.toString());
        busy = 0;
      }
    }
    if (busy == 0) {
      return;
    }
    // A saturating cast: a huge batch duration times the multiple is at most Long.MAX_VALUE ns.
    Duration pause = Duration.ofNanos((long) (took.toNanos() * multiple));
    if (pause.toMillis() >= 1) {
      try {
        job.settings().listener().backfillYielded(job.descriptor(), busy, pause);
      } catch (RuntimeException e) {
        LOG.warn("Backfill {}: a listener failed on a pause: {}", version, e.toString());
      }
      pauseWhileRunning(pause);
    }
  }

  /**
   * Sleeps for {@code pause}, reading the backfill's state every poll interval: ends early when a
   * stop is requested or the backfill is no longer running (a pause, cancel or failure from any
   * process), so that a long pause after a long batch delays neither.
   */
  /**
   * Returns the connection in auto-commit, outside any transaction: asked in the committed batch's
   * state (auto-commit off), a query would open a transaction whose snapshot, held through a pause,
   * keeps vacuum and page pruning from removing the application's dead rows.
   */
  private Connection autoCommitted() throws SQLException {
    endTransaction();
    return connection;
  }

  private void pauseWhileRunning(Duration pause) {
    long end = System.nanoTime() + nanos(pause);
    Duration poll = job.settings().pollInterval();
    while (true) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return;
      }
      sleep(Duration.ofNanos(Math.min(left, Math.max(nanos(poll), 1_000_000))));
      if (stopping() || System.nanoTime() >= end) {
        return;
      }
      try {
        BackfillTables.Row now = job.tables().read(connection, version, false);
        if (now == null || now.state() != BackfillState.RUNNING) {
          return;
        }
      } catch (SQLException e) {
        return; // the loop's next read says what is wrong
      }
    }
  }

  private void beginTransaction() throws SQLException {
    String begin = job.tables().dialect().beginWriteTransactionSql();
    if (begin == null) {
      connection.setAutoCommit(false);
    } else {
      execute(begin);
    }
    pending = true;
  }

  private void commit() throws SQLException {
    if (job.tables().dialect().beginWriteTransactionSql() == null) {
      connection.commit();
    } else {
      execute("COMMIT");
    }
    pending = false; // a failed COMMIT leaves the transaction open, to be rolled back
  }

  private void rollback(Throwable failure) {
    try {
      rollbackPending();
    } catch (SQLException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private void rollbackPending() throws SQLException {
    if (!pending) {
      return;
    }
    pending = false;
    if (job.tables().dialect().beginWriteTransactionSql() == null) {
      connection.rollback();
    } else {
      execute("ROLLBACK");
    }
  }

  /** Rolls back a transaction left open and leaves the connection in auto-commit mode. */
  private void endTransaction() throws SQLException {
    rollbackPending();
    if (!connection.getAutoCommit()) {
      connection.setAutoCommit(true);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /**
   * Returns whether the database aborted the transaction and a retry may succeed ({@link
   * Dialect#isTransient}).
   */
  private boolean isStatementTimeout(Throwable failure) {
    for (Throwable t : FailureText.causes(failure)) {
      if (t instanceof SQLException sql && job.tables().dialect().isStatementTimeout(sql)) {
        return true;
      }
    }
    return false;
  }

  private boolean isTransient(Throwable failure) {
    for (Throwable t : FailureText.causes(failure)) {
      if (t instanceof SQLException sql && job.tables().dialect().isTransient(sql)) {
        return true;
      }
    }
    return false;
  }

  /** Returns {@code duration} in nanoseconds, at most a quarter of the long range (73 years). */
  private static long nanos(Duration duration) {
    return duration.compareTo(Duration.ofNanos(Long.MAX_VALUE / 4)) > 0
        ? Long.MAX_VALUE / 4
        : duration.toNanos();
  }

  /** Whether this worker should stop: a stop requested, or its thread interrupted. */
  private boolean stopping() {
    return job.stopRequested().getAsBoolean() || Thread.currentThread().isInterrupted();
  }

  /**
   * Sleeps for {@code duration}, in slices of at most {@link #STOP_CHECK_MILLIS}: returns early
   * once a stop is requested (the runner closing waits for its workers a bounded time).
   */
  private void sleep(Duration duration) {
    long end = System.nanoTime() + nanos(duration);
    try {
      while (!stopping()) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return;
        }
        Thread.sleep(Math.max(1, Math.min(STOP_CHECK_MILLIS, left / 1_000_000)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
