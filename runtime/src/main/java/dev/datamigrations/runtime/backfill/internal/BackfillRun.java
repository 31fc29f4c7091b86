package dev.datamigrations.runtime.backfill.internal;

import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.internal.ConnectionSource;
import dev.datamigrations.runtime.internal.Dialect;
import dev.datamigrations.runtime.internal.Hosts;
import dev.datamigrations.runtime.internal.RunLock;
import dev.datamigrations.runtime.internal.TableName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs the workers of one started backfill in this process until it is done, cancelled or stopped:
 * N threads, each on a handle of its own, where the database can share batches ({@code SKIP
 * LOCKED}); otherwise one worker that holds the run lock, so that no other process works on it at
 * the same time.
 */
final class BackfillRun {
  private BackfillRun() {}

  @SuppressWarnings("try") // the lock is held by the try block, not used in it
  static BackfillWorker.Outcome run(
      Jdbi jdbi, Dialect dialect, TableName history, Duration lockTimeout, BackfillWorker.Job job) {
    if (!dialect.supportsSkipLocked()) {
      // The lock on the worker's own connection where it can be (SQLite's file lock), so that a
      // pool of one
      // works; a second connection only where the lock needs one, got within the lock timeout.
      ConnectionSource source = ConnectionSource.of(jdbi);
      try (ConnectionSource.Lease worker = source.lease();
          RunLock lock =
              RunLock.acquire(
                  dialect,
                  worker.connection(),
                  () ->
                      source.leaseWithin(
                          lockTimeout,
                          "a backfill worker here holds the run lock, a transaction left open on a connection of"
                              + " its own, while its batches commit on another."),
                  history,
                  lockTimeout)) {
        return new BackfillWorker(job, worker.handle(), workerName(0), true).run();
      }
    }
    int workers = Math.max(1, job.settings().workers());
    // Leases, not plain handles: their connections are guarded, so that a batch cannot commit
    // itself.
    ConnectionSource source = ConnectionSource.of(jdbi);
    if (workers == 1) {
      try (ConnectionSource.Lease worker = source.lease()) {
        return new BackfillWorker(job, worker.handle(), workerName(0), true).run();
      }
    }
    AtomicBoolean failed = new AtomicBoolean();
    BackfillWorker.Job shared =
        new BackfillWorker.Job(
            job.descriptor(),
            job.backfill(),
            job.keys(),
            job.tables(),
            job.history(),
            job.settings(),
            job.listener(),
            () -> failed.get() || job.stopRequested().getAsBoolean(),
            job.batchesInFlight());
    ExecutorService threads =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread thread = new Thread(r, "backfill-" + job.descriptor().version());
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<BackfillWorker.Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        int number = i;
        futures.add(
            threads.submit(
                () -> {
                  try (ConnectionSource.Lease worker = source.lease()) {
                    return new BackfillWorker(
                            shared, worker.handle(), workerName(number), number == 0)
                        .run();
                  } catch (RuntimeException | Error e) {
                    failed.set(true);
                    throw e;
                  }
                }));
      }
      BackfillWorker.Outcome outcome = BackfillWorker.Outcome.DONE;
      RuntimeException failure = null;
      for (Future<BackfillWorker.Outcome> future : futures) {
        try {
          BackfillWorker.Outcome one = future.get();
          if (one != BackfillWorker.Outcome.DONE) {
            outcome = one;
          }
        } catch (ExecutionException e) {
          if (failure == null) {
            failure =
                e.getCause() instanceof RuntimeException runtime
                    ? runtime
                    : new DataMigrationException(
                        "Backfill worker failed: " + e.getCause(), e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          threads.shutdownNow();
          return BackfillWorker.Outcome.STOPPED;
        }
      }
      if (failure != null) {
        throw failure;
      }
      return outcome;
    } finally {
      threads.shutdownNow();
    }
  }

  private static String workerName(int number) {
    return Hosts.localHostName() + ":" + ProcessHandle.current().pid() + ":" + number;
  }
}
