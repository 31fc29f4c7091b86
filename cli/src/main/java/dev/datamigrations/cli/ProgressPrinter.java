package dev.datamigrations.cli;

import dev.datamigrations.runtime.Direction;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationExecution;
import dev.datamigrations.runtime.MigrationFailedException;
import dev.datamigrations.runtime.MigrationListener;
import dev.datamigrations.runtime.backfill.BackfillListener;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillState;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Prints each migration as it runs ({@code Migrating up 20240831020834 Normalize phone numbers ...
 * done in 1.2 s}) and, while a long one runs, a {@code still running} line every interval, so that
 * whoever watches a deploy knows which migration is busy and for how long. A running backfill shows
 * as a plain line every interval ({@link ProgressStyle#LINES}), or as a live bar redrawn in place
 * on a terminal ({@link ProgressStyle#BAR}).
 */
final class ProgressPrinter implements MigrationListener, BackfillListener, AutoCloseable {
  /** How often the runner reports a backfill's progress when a bar shows it. */
  static final Duration BAR_REFRESH = Duration.ofMillis(250);

  private static final int BAR_WIDTH = 30;

  /** The narrowest bar worth drawing; below it, the line shows the figures alone. */
  private static final int MIN_BAR_WIDTH = 10;

  /** The terminal's width when the environment does not say ({@code COLUMNS}). */
  private static final int DEFAULT_COLUMNS = 80;

  /** Carriage return, then ANSI "erase the whole line": the bar is redrawn in place. */
  private static final String REDRAW = "\r\u001B[2K";

  private final PrintStream out;
  private final Duration interval;
  private final ProgressStyle style;
  private final int columns;
  private ScheduledExecutorService ticker;
  private ScheduledFuture<?> tick;
  private boolean lineOpen;
  private boolean barShown;

  ProgressPrinter(PrintStream out, Duration interval, ProgressStyle style, int columns) {
    this.out = out;
    this.interval = interval;
    this.style = style;
    this.columns = columns;
  }

  /** Returns the printer for one command: the style resolved against the command's output. */
  static ProgressPrinter create(CliSettings settings) {
    return new ProgressPrinter(
        settings.out(),
        settings.progressInterval(),
        settings.progressStyle().resolve(settings.out(), settings.environment()),
        columns(settings.environment()));
  }

  /** Returns the terminal's width: {@code COLUMNS} when the shell exports it, else 80. */
  static int columns(java.util.Map<String, String> environment) {
    try {
      int columns = Integer.parseInt(environment.getOrDefault("COLUMNS", "").strip());
      return columns > 0 ? columns : DEFAULT_COLUMNS;
    } catch (NumberFormatException e) {
      return DEFAULT_COLUMNS;
    }
  }

  /**
   * Returns how often the runner should report a backfill's progress: often for a bar, else the
   * interval.
   */
  Duration backfillInterval() {
    return style == ProgressStyle.BAR ? BAR_REFRESH : interval;
  }

  @Override
  public synchronized void started(MigrationDescriptor migration, Direction direction) {
    out.print(
        "Migrating " + direction.name().toLowerCase(Locale.ROOT) + " " + name(migration) + " ...");
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
    endBar();
    finishLine("done in " + Formats.format(execution.duration()));
  }

  @Override
  public synchronized void failed(MigrationFailedException failure) {
    stopTicking();
    endBar();
    finishLine(
        switch (failure.outcome()) {
          case ROLLED_BACK -> "FAILED, rolled back";
          case ROLLBACK_FAILED ->
              "FAILED, rollback failed (not committed; discarded with the connection)";
          case COMMIT_OUTCOME_UNKNOWN -> "FAILED in COMMIT, outcome unknown (check status)";
          case NOT_ROLLED_BACK -> "FAILED, NOT rolled back";
        });
  }

  @Override
  public synchronized void backfillProgress(
      MigrationDescriptor backfill, BackfillProgress progress) {
    if (lineOpen) {
      out.println();
      lineOpen = false;
    }
    if (style == ProgressStyle.BAR) {
      out.print(REDRAW + bar(progress, columns));
      out.flush();
      barShown = true;
      if (progress.state() == BackfillState.DONE || progress.state() == BackfillState.CANCELLED) {
        endBar(); // its last drawing: whatever the command prints next starts on a line of its own
      }
    } else {
      out.println("  backfill " + name(backfill) + ": " + progress);
    }
  }

  /**
   * Returns {@code [#############-----------------] 45.2% 452,000/1,000,000 rows 12,000 rows/s ETA
   * 45 s}, followed by the state when it is not running, narrower than {@code columns}: a line as
   * wide as the terminal wraps, and {@code \r} returns to its last row only, so every redraw would
   * leave a row behind. The bar narrows first, then goes; what still does not fit is cut.
   */
  static String bar(BackfillProgress progress, int columns) {
    String figures =
        String.format(
            Locale.ROOT,
            " %5.1f%%  %,d/%,d rows  %,.0f rows/s  ETA %s%s",
            progress.percent(),
            progress.rowsDone(),
            progress.estimatedTotal(),
            progress.rowsPerSecond(),
            progress.eta() == null ? "unknown" : Formats.formatWhole(progress.eta()),
            progress.state() == BackfillState.RUNNING
                ? ""
                : ", " + progress.state().name().toLowerCase(Locale.ROOT));
    int width = Math.min(BAR_WIDTH, columns - 1 - "  []".length() - figures.length());
    String line;
    if (width >= MIN_BAR_WIDTH) {
      int filled = (int) Math.round(progress.percent() / 100 * width);
      line = "  [" + "#".repeat(filled) + "-".repeat(width - filled) + "]" + figures;
    } else {
      line = " " + figures;
    }
    return line.length() < columns ? line : line.substring(0, Math.max(0, columns - 1));
  }

  /** Ends the bar's line, so that what follows starts on a line of its own. */
  private void endBar() {
    if (barShown) {
      out.println();
      barShown = false;
    }
  }

  @Override
  public synchronized void backfillThrottled(
      MigrationDescriptor backfill, String reason, Duration wait) {
    endBar();
    if (lineOpen) {
      out.println();
      lineOpen = false;
    }
    out.println(
        "  backfill " + name(backfill) + " backs off " + Formats.format(wait) + ": " + reason);
  }

  private synchronized void stillRunning(MigrationDescriptor migration, Duration elapsed) {
    if (tick == null || barShown) {
      return; // finished while this tick waited for the lock, or the bar already shows it is busy
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
    endBar();
    if (ticker != null) {
      ticker.shutdownNow();
    }
  }
}
