package dev.datamigrations.cli;

import dev.datamigrations.runtime.BackfillEstimate;
import dev.datamigrations.runtime.Direction;
import dev.datamigrations.runtime.DryRunEntry;
import dev.datamigrations.runtime.DryRunOutcome;
import dev.datamigrations.runtime.DryRunReport;
import dev.datamigrations.runtime.DryRunStatement;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Prints a {@link DryRunReport}: an aligned table, each non-success's reason under it, statement
 * lines with {@code --verbose}, a summary; or one JSON document. Returns the exit code: {@value
 * ExitCodes#SUCCESS} when no migration would fail or be refused (entries that could not be dry-run
 * are listed, not failed), else {@value ExitCodes#DRY_RUN_WOULD_FAIL}.
 */
final class DryRunOutput {
  private static final List<String> HEADERS =
      List.of("VERSION", "DESCRIPTION", "OUTCOME", "ROWS", "STATEMENTS", "TIME");
  private static final String GAP = "  ";

  private DryRunOutput() {}

  static int print(DryRunReport report, OutputFormat format, boolean verbose, PrintStream out) {
    if (format == OutputFormat.JSON) {
      out.println(json(report));
    } else {
      table(report, verbose).forEach(out::println);
    }
    return report.wouldSucceed() ? ExitCodes.SUCCESS : ExitCodes.DRY_RUN_WOULD_FAIL;
  }

  /** Returns the table's lines, details and summary. */
  static List<String> table(DryRunReport report, boolean verbose) {
    List<String> lines = new ArrayList<>();
    lines.add("Dry run of " + report.verb() + ": every change below was rolled back.");
    if (report.entries().isEmpty()) {
      lines.add(
          "Nothing to do"
              + (report.alreadyApplied() > 0
                  ? ": " + Formats.count(report.alreadyApplied()) + " already applied."
                  : "."));
      return lines;
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADERS);
    for (DryRunEntry entry : report.entries()) {
      boolean ran =
          entry.outcome() == DryRunOutcome.WOULD_SUCCEED
              || (entry.outcome() == DryRunOutcome.WOULD_FAIL && entry.statementCount() > 0);
      rows.add(
          List.of(
              Long.toString(entry.migration().version()),
              entry.migration().description(),
              outcome(entry),
              ran ? Long.toString(entry.rowsChanged()) : estimatedRows(entry.estimate()),
              ran ? Long.toString(entry.statementCount()) : "",
              ran ? Formats.format(entry.duration()) : ""));
    }
    int[] widths = new int[HEADERS.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (int r = 0; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        line.append(row.get(i)).append(" ".repeat(widths[i] - row.get(i).length())).append(GAP);
      }
      lines.add(line.toString().stripTrailing());
      if (r > 0 && verbose) {
        for (DryRunStatement statement : report.entries().get(r - 1).statements()) {
          lines.add("    " + statementLine(statement));
        }
      }
    }
    for (DryRunEntry entry : report.entries()) {
      if (entry.reason() != null && entry.outcome() != DryRunOutcome.NOT_REACHED) {
        lines.add(entry.migration().version() + " " + outcome(entry) + ": " + entry.reason());
      }
      if (!entry.withoutEffectsOf().isEmpty() && entry.outcome() == DryRunOutcome.WOULD_SUCCEED) {
        lines.add(
            entry.migration().version()
                + " ran without the changes of "
                + entry.withoutEffectsOf()
                + ", which could not be dry-run: the real run's counts may differ.");
      }
    }
    lines.add(summary(report));
    return lines;
  }

  private static String outcome(DryRunEntry entry) {
    return switch (entry.outcome()) {
      case WOULD_SUCCEED -> entry.direction() == Direction.UP ? "would apply" : "would revert";
      case WOULD_FAIL -> "WOULD FAIL";
      case REFUSED -> "REFUSED";
      case NOT_DRY_RUNNABLE -> "not dry-runnable";
      case NOT_REACHED -> "not reached";
    };
  }

  private static String estimatedRows(BackfillEstimate estimate) {
    return estimate == null ? "" : "~" + estimate.rows();
  }

  private static String statementLine(DryRunStatement statement) {
    String rows =
        statement.rowsChanged().isPresent()
            ? statement.rowsChanged().getAsLong() + " rows"
            : "no count";
    return (statement.executions() > 1 ? statement.executions() + " x " : "")
        + statement.sql()
        + "  ("
        + rows
        + ")";
  }

  private static String summary(DryRunReport report) {
    long notRun =
        report.entries().stream()
            .filter(e -> e.outcome() == DryRunOutcome.NOT_DRY_RUNNABLE)
            .count();
    String stop =
        report
            .stoppedAt()
            .map(
                e ->
                    " The real "
                        + report.verb()
                        + " would stop at "
                        + e.migration().version()
                        + " ("
                        + outcome(e)
                        + ").")
            .orElse("");
    return String.format(
        Locale.ROOT,
        "%d rows changed by %d statements in %s, all rolled back; %s planned, %d not"
            + " dry-runnable.%s%s Nothing was changed.",
        report.rowsChanged(),
        report.statementCount(),
        Formats.format(report.duration()),
        Formats.count(report.entries().size()),
        notRun,
        stop,
        report.runLockHeld()
            ? ""
            : " The run lock was not held (its table does not exist yet, and a dry run creates"
                + " none).");
  }

  /** Returns the JSON document (format version {@value StatusJson#FORMAT_VERSION}). */
  static String json(DryRunReport report) {
    StringJoiner migrations = new StringJoiner(",\n    ", "[\n    ", "\n  ]").setEmptyValue("[]");
    for (DryRunEntry entry : report.entries()) {
      StringJoiner statements = new StringJoiner(", ", "[", "]");
      for (DryRunStatement statement : entry.statements()) {
        statements.add(
            "{\"sql\": "
                + Json.string(statement.sql())
                + ", \"executions\": "
                + statement.executions()
                + ", \"rowsChanged\": "
                + (statement.rowsChanged().isPresent()
                    ? Long.toString(statement.rowsChanged().getAsLong())
                    : "null")
                + "}");
      }
      BackfillEstimate estimate = entry.estimate();
      migrations.add(
          "{\"version\": "
              + entry.migration().version()
              + ", \"description\": "
              + Json.string(entry.migration().description())
              + ", \"class\": "
              + Json.string(entry.migration().className())
              + ", \"direction\": "
              + Json.string(entry.direction().name())
              + ", \"outcome\": "
              + Json.string(entry.outcome().name())
              + ", \"reason\": "
              + Json.string(entry.reason())
              + ", \"rowsChanged\": "
              + entry.rowsChanged()
              + ", \"statementCount\": "
              + entry.statementCount()
              + ", \"durationMillis\": "
              + entry.duration().toMillis()
              + ", \"statements\": "
              + statements
              + ", \"backfillEstimate\": "
              + (estimate == null
                  ? "null"
                  : "{\"rows\": "
                      + estimate.rows()
                      + ", \"rowsDone\": "
                      + estimate.rowsDone()
                      + ", \"batchSize\": "
                      + estimate.batchSize()
                      + ", \"batches\": "
                      + estimate.batches()
                      + "}")
              + ", \"withoutEffectsOf\": "
              + entry.withoutEffectsOf()
              + "}");
    }
    return "{\n  \"formatVersion\": "
        + StatusJson.FORMAT_VERSION
        + ",\n  \"dryRun\": "
        + Json.string(report.verb())
        + ",\n  \"wouldSucceed\": "
        + report.wouldSucceed()
        + ",\n  \"runLockHeld\": "
        + report.runLockHeld()
        + ",\n  \"alreadyApplied\": "
        + report.alreadyApplied()
        + ",\n  \"rowsChanged\": "
        + report.rowsChanged()
        + ",\n  \"durationMillis\": "
        + report.duration().toMillis()
        + ",\n  \"migrations\": "
        + migrations
        + "\n}";
  }
}
