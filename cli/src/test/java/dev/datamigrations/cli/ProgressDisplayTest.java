package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code migrate} and {@code work} show a running backfill as a live bar on a terminal, as plain
 * lines elsewhere.
 */
class ProgressDisplayTest {
  private static final String REDRAW = "\r\u001B[2K";

  /**
   * A redrawn bar of 10 to 30 marks (narrower when the figures need the room), in a regular
   * expression.
   */
  private static final String REDRAWN_BAR =
      java.util.regex.Pattern.quote(REDRAW) + "  \\[#{10,30}\\]";

  private final String url = "jdbc:h2:mem:cli_bar_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

  @BeforeEach
  void createItems() {
    Jdbi.create(url)
        .useHandle(
            h -> {
              h.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, hits INT NOT NULL)");
              h.execute("INSERT INTO items SELECT x, 0 FROM SYSTEM_RANGE(1, 250)");
            });
  }

  private CliRun run(ProgressStyle style, String... args) {
    DataMigrationsCli.Builder cli =
        DataMigrationsCli.forCatalog(new BackfillCommandsTest.Catalog())
            .environment(Map.of())
            .progressStyle(style);
    String[] all = new String[args.length + 2];
    all[0] = "--url";
    all[1] = url;
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of(cli, all);
  }

  @Test
  void onATerminalMigrateRedrawsOneBarLineAndEndsItBeforeTheNextLine() {
    CliRun migrate =
        run(ProgressStyle.BAR, "migrate", "--batch-size", "10", "--batch-pause", "20ms");

    assertEquals(0, migrate.exitCode(), migrate::toString);
    String out = migrate.out();
    assertTrue(out.contains("Migrating up 20240201000000 Fill hits ...\n" + REDRAW + "  ["), out);
    assertTrue(out.matches("(?s).*" + REDRAWN_BAR + " 100\\.0%  250/250 rows  .*"), out);
    assertTrue(
        out.matches("(?s).*100\\.0%  250/250 rows  [\\d,]+ rows/s  ETA 0 s, done\n  done in .*"),
        out);
    assertFalse(out.contains("  backfill 20240201000000"), "no plain progress lines: " + out);
    assertTrue(out.contains("Applied 1 data migration"), out);
    assertTrue(out.split("\r").length > 2, "redrawn more than once: " + out);
  }

  @Test
  void elsewhereWorkPrintsPlainLinesWithoutCarriageReturns() {
    CliRun work = run(ProgressStyle.LINES, "work", "20240201000000", "--batch-size", "10");

    assertEquals(0, work.exitCode(), work::toString);
    assertTrue(
        work.out().contains("  backfill 20240201000000 Fill hits: 100.0% (250 of 250 rows"),
        work::toString);
    assertFalse(work.out().contains("\r") || work.out().contains("\u001B"), work::toString);
  }

  @Test
  void workOnATerminalDrawsTheBar() {
    CliRun work = run(ProgressStyle.BAR, "work", "20240201000000", "--batch-size", "10");

    assertEquals(0, work.exitCode(), work::toString);
    assertTrue(
        work.out().matches("(?s).*" + REDRAWN_BAR + " 100\\.0%  250/250 rows.*"), work::toString);
    assertTrue(
        work.out().contains("\nBackfill 20240201000000: 100.0%"),
        "the bar's line ends first: " + work.out());
  }

  @Test
  void autoMeansLinesUnlessTheOutputIsTheProcessTerminal() {
    PrintStream captured = new PrintStream(new ByteArrayOutputStream());

    assertEquals(
        ProgressStyle.LINES, ProgressStyle.AUTO.resolve(captured, Map.of("TERM", "xterm")));
    // Under a build or CI there is no console, so System.out is not a terminal either.
    assertEquals(
        System.console() != null ? ProgressStyle.BAR : ProgressStyle.LINES,
        ProgressStyle.AUTO.resolve(System.out, Map.of("TERM", "xterm")));
    assertEquals(
        ProgressStyle.LINES, ProgressStyle.AUTO.resolve(System.out, Map.of("TERM", "dumb")));
    assertEquals(ProgressStyle.BAR, ProgressStyle.BAR.resolve(captured, Map.of()));
  }

  @Test
  void theBarShowsPercentRowsRateEtaAndAStateOtherThanRunning() {
    BackfillProgress progress =
        new BackfillProgress(
            1,
            BackfillState.PAUSED,
            452_000,
            1_000_000,
            91,
            5000,
            Instant.EPOCH,
            Instant.EPOCH,
            12_000,
            Duration.ofSeconds(45),
            Duration.ofMillis(80));

    assertEquals(
        "  [##############----------------]  45.2%  452,000/1,000,000 rows  12,000 rows/s  ETA 45 s, paused",
        ProgressPrinter.bar(progress, 120));
  }

  @Test
  void theBarNeverFillsTheTerminalsWidthSoItsRedrawNeverWraps() {
    // A line as wide as the terminal wraps; "\r" then returns to its last row only, and every
    // redraw leaves a row.
    BackfillProgress progress =
        new BackfillProgress(
            1,
            BackfillState.PAUSED,
            452_000,
            1_000_000,
            91,
            5000,
            Instant.EPOCH,
            Instant.EPOCH,
            12_000,
            Duration.ofSeconds(45),
            Duration.ofMillis(80));

    String standard = ProgressPrinter.bar(progress, 80);
    assertTrue(standard.length() < 80, standard);
    assertTrue(
        standard.matches(
            "  \\[#+-+\\]  45\\.2%  452,000/1,000,000 rows  12,000 rows/s  ETA 45 s, paused"),
        standard);
    String narrow = ProgressPrinter.bar(progress, 40);
    assertTrue(narrow.length() < 40 && narrow.startsWith("   45.2%  452,000/1,000,000"), narrow);
    // COLUMNS, when the shell exports it, is the width; 80 otherwise.
    assertEquals(80, ProgressPrinter.columns(Map.of()));
    assertEquals(132, ProgressPrinter.columns(Map.of("COLUMNS", "132")));
    assertEquals(80, ProgressPrinter.columns(Map.of("COLUMNS", "wide")));
  }
}
