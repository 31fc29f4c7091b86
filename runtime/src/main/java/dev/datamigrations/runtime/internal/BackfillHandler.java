package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.BackfillEstimate;
import dev.datamigrations.runtime.MigrationExecution;
import dev.datamigrations.runtime.MigrationProgress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/**
 * What the engine calls for a {@link dev.datamigrations.runtime.MigrationKind#BACKFILL} step, and
 * around it; implemented by the backfill layer, which the engine never names. The engine starts a
 * backfill under the run lock ({@link #start}), then runs it without the lock ({@link #run}) or
 * leaves it to a thread of the handler ({@link #runInBackground}); it asks for the progress of
 * started ones for {@code status} and {@code assertNoPending}, and has a reverted one forgotten in
 * the transaction that deletes its history row.
 */
public interface BackfillHandler {

  /**
   * Starts the backfill of {@code step}, or resumes it, under the run lock held on {@code lease};
   * refuses a cancelled one. Returns false if another run finished it after this run read the
   * history.
   */
  boolean start(ConnectionSource.Lease lease, Dialect dialect, HistoryTable history, Step step);

  /**
   * Works on a started backfill in this process, without the run lock, until it is done; returns
   * its execution.
   *
   * @throws dev.datamigrations.runtime.DataMigrationException if it was cancelled, stopped or
   *     failed
   */
  MigrationExecution run(Step step);

  /**
   * Returns whether {@code migrate} leaves a backfill, and what follows it, to {@link
   * #runInBackground}.
   */
  boolean detach();

  /**
   * Runs {@code rest} (the backfill {@code step} and the versions after it) on a thread of this
   * handler.
   */
  void runInBackground(Step step, Runnable rest);

  /**
   * Estimates, for a dry run, what the backfill of {@code step} would walk, without starting it:
   * reads on {@code connection}, inside the dry run's transaction (so it sees what the migrations
   * planned before it changed there), and writes nothing.
   *
   * @throws dev.datamigrations.runtime.MigrationRefusedException what {@link #start} would refuse:
   *     a cancelled backfill, a key column that cannot be walked
   */
  BackfillEstimate estimate(Connection connection, Dialect dialect, Step step) throws SQLException;

  /** Returns the progress of every started backfill by version; empty if none ever started. */
  Map<Long, MigrationProgress> progress(Connection connection, Dialect dialect) throws SQLException;

  /**
   * Forgets a reverted backfill's progress and batches, in the caller's transaction (the one that
   * deletes its history row), so that it runs again from the start.
   */
  void forget(Connection connection, Dialect dialect, long version) throws SQLException;

  /** Waits up to {@code timeout} for the background threads; returns whether they all ended. */
  boolean awaitBackground(Duration timeout);

  /** Asks background workers to stop after their current batch, and waits for them a little. */
  void close();
}
