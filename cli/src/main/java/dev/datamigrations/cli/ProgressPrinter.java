package dev.datamigrations.cli;

import dev.datamigrations.runtime.BackfillProgress;
import dev.datamigrations.runtime.Direction;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationExecution;
import dev.datamigrations.runtime.MigrationFailedException;
import dev.datamigrations.runtime.MigrationListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Prints each migration as it runs ({@code Migrating up 20240831020834 Normalize phone numbers ... done in
 * 1.2 s}) and, while a long one runs, a {@code still running} line every interval, so that whoever watches a
 * deploy knows which migration is busy and for how long.
 */
final class ProgressPrinter implements MigrationListener, AutoCloseable {
  private final PrintStream out;
  private final Duration interval;
  private ScheduledExecutorService ticker;
  private ScheduledFuture<?> tick;
  private boolean lineOpen;

  ProgressPrinter(PrintStream out, Duration interval) {
    this.out = out;
    this.interval = interval;
  }

  @Override
  public synchronized void started(MigrationDescriptor migration, Direction direction) {
    out.print("Migrating " + direction.name().toLowerCase(Locale.ROOT) + " " + name(migration) + " ...");
    out.flush();
    lineOpen = true;
    long startNanos = System.nanoTime();
    tick =
        ticker()
            .scheduleAtFixedRate(
                () -> stillRunning(migration, Duration.ofNanos(System.nanoTime() - startNanos)),
                interval.toNanos(),
                interval.toNanos(),
                TimeUnit.NANOSECONDS);
  }

  @Override
  public synchronized void succeeded(MigrationExecution execution) {
    stopTicking();
    finishLine("done in " + Formats.format(execution.duration()));
  }

  @Override
  public synchronized void failed(MigrationFailedException failure) {
    stopTicking();
    finishLine(
        switch (failure.outcome()) {
          case ROLLED_BACK -> "FAILED, rolled back";
          case ROLLBACK_FAILED -> "FAILED, rollback failed (not committed; discarded with the connection)";
          case COMMIT_OUTCOME_UNKNOWN -> "FAILED in COMMIT, outcome unknown (check status)";
          case NOT_ROLLED_BACK -> "FAILED, NOT rolled back";
        });
  }

  @Override
  public synchronized void backfillProgress(MigrationDescriptor backfill, BackfillProgress progress) {
    if (lineOpen) {
      out.println();
      lineOpen = false;
    }
    out.println("  backfill " + name(backfill) + ": " + progress);
  }

  @Override
  public synchronized void backfillThrottled(MigrationDescriptor backfill, String reason, Duration wait) {
    if (lineOpen) {
      out.println();
      lineOpen = false;
    }
    out.println("  backfill " + name(backfill) + " backs off " + Formats.format(wait) + ": " + reason);
  }

  private synchronized void stillRunning(MigrationDescriptor migration, Duration elapsed) {
    if (tick == null) {
      return; // finished while this tick waited for the lock
    }
    if (lineOpen) {
      out.println();
      lineOpen = false;
    }
    out.println("  still running " + name(migration) + " (" + Formats.formatWhole(elapsed) + ")");
  }

  private void finishLine(String outcome) {
    out.println(lineOpen ? " " + outcome : "  " + outcome);
    lineOpen = false;
  }

  private void stopTicking() {
    if (tick != null) {
      tick.cancel(false);
      tick = null;
    }
  }

  private ScheduledExecutorService ticker() {
    if (ticker == null) {
      ticker =
          Executors.newSingleThreadScheduledExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "datamigrations-progress");
                thread.setDaemon(true); // never keeps a finished command alive
                return thread;
              });
    }
    return ticker;
  }

  private static String name(MigrationDescriptor migration) {
    return migration.version() + " " + migration.description();
  }

  @Override
  public synchronized void close() {
    stopTicking();
    if (ticker != null) {
      ticker.shutdownNow();
    }
  }
}
