package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationState;
import dev.datamigrations.runtime.MigrationStatus;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.BatchFailure;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Formats {@code status} as an aligned text table followed by a one-line summary. */
final class StatusTable {
  private static final List<String> HEADERS =
      List.of(
          "VERSION",
          "STATE",
          "DESCRIPTION",
          "APPLIED AT (UTC)",
          "APPLIED BY",
          "DURATION",
          "PROGRESS");

  /** The progress column shows only when a backfill is under way. */
  private static final int WITHOUT_PROGRESS = HEADERS.size() - 1;

  private static final String GAP = "  ";

  private StatusTable() {}

  /** Returns the table's lines, header first, then the summary line. */
  static List<String> format(List<MigrationStatus> statuses) {
    List<List<String>> rows = new ArrayList<>();
    boolean anyProgress = statuses.stream().anyMatch(s -> !progress(s).isEmpty());
    int columns = anyProgress ? HEADERS.size() : WITHOUT_PROGRESS;
    rows.add(HEADERS.subList(0, columns));
    for (MigrationStatus status : statuses) {
      rows.add(
          List.of(
                  Long.toString(status.version()),
                  status.state().name(),
                  nullToEmpty(status.description()),
                  status.appliedAt() == null
                      ? ""
                      : DateTimeFormatter.ISO_INSTANT.format(
                          status.appliedAt().truncatedTo(ChronoUnit.SECONDS)),
                  nullToEmpty(status.appliedBy()),
                  status.executionTime() == null ? "" : Formats.format(status.executionTime()),
                  progress(status))
              .subList(0, columns));
    }
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        line.append(row.get(i)).append(" ".repeat(widths[i] - row.get(i).length())).append(GAP);
      }
      lines.add(line.toString().stripTrailing());
    }
    for (MigrationStatus status : statuses) {
      if (status.state() == MigrationState.FAILED
          && status.progress() instanceof BackfillProgress progress) {
        lines.addAll(failures(status.version(), progress));
      }
    }
    lines.add(summary(statuses));
    return lines;
  }

  /**
   * Returns a backfill's recent failed batch attempts, newest first, and for a failed backfill what
   * to do: {@code batch 3 (keys 9 to 30), attempt 3: java.lang.IllegalStateException: boom; ...}.
   * Empty if none failed.
   */
  static List<String> failures(long version, BackfillProgress progress) {
    List<String> lines = new ArrayList<>();
    if (progress.recentFailures().isEmpty()) {
      return lines;
    }
    lines.add(
        "Backfill "
            + version
            + (progress.state() == BackfillState.FAILED ? " failed; its" : "'s")
            + " latest failed batch attempts, newest first:");
    for (BatchFailure failure : progress.recentFailures()) {
      lines.add(
          "  "
              + DateTimeFormatter.ISO_INSTANT.format(
                  failure.failedAt().truncatedTo(ChronoUnit.SECONDS))
              + " "
              + failure
              + " (worker "
              + failure.worker()
              + ")");
    }
    if (progress.state() == BackfillState.FAILED) {
      lines.add(
          "Fix the cause, then: resume " + version + " (its failed batches are attempted again).");
    }
    return lines;
  }

  /** Returns {@code 3 applied, 1 pending, 1 removed from code}. */
  static String summary(List<MigrationStatus> statuses) {
    if (statuses.isEmpty()) {
      return "No data migrations: none in the code, none in the history table.";
    }
    long running = count(statuses, MigrationState.RUNNING);
    long cancelled = count(statuses, MigrationState.CANCELLED);
    long failed = count(statuses, MigrationState.FAILED);
    return count(statuses, MigrationState.APPLIED)
        + " applied, "
        + count(statuses, MigrationState.PENDING)
        + " pending, "
        + (running > 0 ? running + " running, " : "")
        + (cancelled > 0 ? cancelled + " cancelled, " : "")
        + (failed > 0 ? failed + " failed, " : "")
        + count(statuses, MigrationState.REMOVED)
        + " removed from code";
  }

  private static long count(List<MigrationStatus> statuses, MigrationState state) {
    return statuses.stream().filter(s -> s.state() == state).count();
  }

  /**
   * Returns a started, unfinished backfill's progress ({@code 45.0% ..., paused}); empty otherwise.
   */
  private static String progress(MigrationStatus status) {
    if (status.progress() == null || status.state() == MigrationState.APPLIED) {
      return "";
    }
    return status.progress().toString();
  }

  private static String nullToEmpty(String text) {
    return text == null ? "" : text;
  }
}
