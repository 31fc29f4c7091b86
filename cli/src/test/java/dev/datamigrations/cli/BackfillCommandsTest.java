package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationKind;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.Backfills;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.KeyRange;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backfill commands, {@code work}, {@code pause}, {@code resume} and {@code cancel}, on H2,
 * PostgreSQL and MariaDB: each changes the persisted state it names (read back through the runner),
 * prints the progress, and exits with its documented code; status shows the progress.
 */
class BackfillCommandsTest {
  static final long FILL = 20240201000000L;
  static final int ROWS = 250;

  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final String history = "cli_bf_" + suffix;
  private final String items = "cli_items_" + suffix;
  private CliDatabase database;

  /**
   * One backfill that adds 1 to {@code hits} of every row of its table. Its first batch waits for
   * {@link #release} when gated, so that a test can act while a worker holds a batch.
   */
  static final class Catalog implements MigrationCatalog {
    final CountDownLatch firstBatchStarted = new CountDownLatch(1);
    final CountDownLatch release;
    private final String table;

    /** While true, every batch above key 100 throws after its update. */
    volatile boolean broken;

    /** Over table {@code items}, never gated: for the tests of other commands. */
    Catalog() {
      this("items", false);
    }

    Catalog(String table, boolean gated) {
      this.table = table;
      this.release = new CountDownLatch(gated ? 1 : 0);
    }

    @Override
    public List<MigrationDescriptor> descriptors() {
      return List.of(
          new MigrationDescriptor(
              FILL, "Fill hits", "test.FillHits", false, false, MigrationKind.BACKFILL));
    }

    @Override
    public Migration instantiate(int index) {
      return new Backfill() {
        @Override
        public KeyRange keys() {
          return KeyRange.of(table, "id");
        }

        @Override
        public void process(Handle handle, Batch batch) {
          firstBatchStarted.countDown();
          try {
            if (!release.await(60, TimeUnit.SECONDS)) {
              throw new IllegalStateException("the test never released the first batch");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
          handle.execute(
              "UPDATE " + table + " SET hits = hits + 1 WHERE id BETWEEN ? AND ?",
              batch.first(),
              batch.last());
          if (broken && batch.first() > 100) {
            throw new IllegalStateException("no total for key " + batch.first());
          }
        }
      };
    }
  }

  private Jdbi setUp(String name) {
    database = CliDatabase.named(name);
    Jdbi jdbi = Jdbi.create(database.url(), database.user(), database.password());
    jdbi.useHandle(
        h -> {
          h.execute("CREATE TABLE " + items + " (id BIGINT PRIMARY KEY, hits INT NOT NULL)");
          PreparedBatch insert =
              h.prepareBatch("INSERT INTO " + items + " (id, hits) VALUES (?, 0)");
          for (int id = 1; id <= ROWS; id++) {
            insert.add(id);
          }
          insert.execute();
        });
    return jdbi;
  }

  @AfterEach
  void dropTables() throws SQLException {
    if (database != null && !database.name().equals("h2")) {
      database.drop(
          history,
          history + "_progress",
          history + "_batches",
          history + "_failures",
          history + "_errors",
          history + "_lock",
          items);
    }
  }

  private CliRun run(Catalog catalog, String... args) {
    String[] withTable = new String[args.length + 2];
    System.arraycopy(args, 0, withTable, 0, args.length);
    withTable[args.length] = "--table";
    withTable[args.length + 1] = history;
    return CliRun.of(
        DataMigrationsCli.forCatalog(catalog)
            .environment(Map.of())
            .progressStyle(ProgressStyle.LINES),
        database.arguments(withTable));
  }

  private static List<Integer> hits(Jdbi jdbi, String table) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT DISTINCT hits FROM " + table + " ORDER BY hits")
                .mapTo(Integer.class)
                .list());
  }

  /** Asserts that {@code run} succeeded and printed one progress line ending in {@code state}. */
  private static void assertPrinted(CliRun run, int exitCode, String state) {
    assertEquals(exitCode, run.exitCode(), run::toString);
    assertTrue(
        run.out()
            .lines()
            .anyMatch(
                line ->
                    line.matches("Backfill " + FILL + ": \\d+\\.\\d% \\(.*\\), " + state + "\\.")),
        run::toString);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void eachVerbChangesTheStateItNames(String name) throws Exception {
    Jdbi jdbi = setUp(name);
    Catalog catalog = new Catalog(items, true);
    // Started by another process's runner, whose worker holds its first batch until released.
    try (MigrationRunner other =
        MigrationRunner.configure(jdbi, catalog)
            .table(history)
            .with(BackfillSettings.builder().batchSize(100).detach(true).build())
            .build()) {
      assertEquals(
          List.of(FILL),
          other.migrate().detached().stream().map(MigrationDescriptor::version).toList());
      assertTrue(
          catalog.firstBatchStarted.await(30, TimeUnit.SECONDS),
          "the worker never started a batch");

      CliRun status = run(catalog, "status");
      assertEquals(0, status.exitCode(), status::toString);
      assertTrue(status.out().contains("PROGRESS"), status::toString);
      assertTrue(
          status.out().matches("(?s).*" + FILL + "\\s+RUNNING\\s+Fill hits\\s+.*running.*"),
          status::toString);
      assertTrue(
          status.out().contains("0 applied, 0 pending, 1 running, 0 removed from code"),
          status::toString);

      assertPrinted(run(catalog, "pause", Long.toString(FILL)), ExitCodes.SUCCESS, "paused");
      assertEquals(BackfillState.PAUSED, Backfills.of(other).progress(FILL).orElseThrow().state());
      assertPrinted(run(catalog, "resume", Long.toString(FILL)), ExitCodes.SUCCESS, "running");
      assertEquals(BackfillState.RUNNING, Backfills.of(other).progress(FILL).orElseThrow().state());
      assertPrinted(run(catalog, "cancel", Long.toString(FILL)), ExitCodes.SUCCESS, "cancelled");
      assertEquals(
          BackfillState.CANCELLED, Backfills.of(other).progress(FILL).orElseThrow().state());

      // The held batch commits; the worker then sees the cancel and stops.
      catalog.release.countDown();
      assertTrue(
          Backfills.of(other).awaitDetached(Duration.ofSeconds(60)),
          "the cancelled worker did not stop");
    }
    assertEquals(List.of(0, 1), hits(jdbi, items)); // its one batch, and no more

    CliRun refused = run(catalog, "migrate");
    assertEquals(ExitCodes.BACKFILL_NOT_DONE, refused.exitCode(), refused::toString);
    assertTrue(refused.err().contains("was cancelled"), refused::toString);

    assertPrinted(run(catalog, "resume", Long.toString(FILL)), ExitCodes.SUCCESS, "running");
    CliRun work =
        run(
            catalog,
            "work",
            Long.toString(FILL),
            "--workers",
            "2",
            "--target-batch-duration",
            "50ms");
    assertPrinted(work, ExitCodes.SUCCESS, "done");
    assertTrue(work.out().contains("100.0% (" + ROWS + " of " + ROWS + " rows"), work::toString);
    assertEquals(List.of(1), hits(jdbi, items));

    for (String verb : List.of("pause", "resume", "cancel")) {
      CliRun done = run(catalog, verb, Long.toString(FILL));
      assertEquals(ExitCodes.USAGE, done.exitCode(), done::toString);
      assertEquals(
          "Error: Cannot "
              + verb
              + " backfill "
              + FILL
              + " (Fill hits, test.FillHits): it is done. Nothing was changed.\n",
          done.err(),
          done::toString);
      assertEquals("", done.out(), done::toString);
    }
    CliRun status = run(catalog, "status");
    assertTrue(
        status.out().contains("1 applied, 0 pending, 0 removed from code"), status::toString);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql"})
  void aFailedBackfillExitsWith7ShowsItsFailuresAndFinalizeFinishesItOnceResumed(String name) {
    Jdbi jdbi = setUp(name);
    Catalog catalog = new Catalog(items, false);
    catalog.broken = true;

    CliRun work =
        run(catalog, "work", Long.toString(FILL), "--batch-size", "100", "--max-attempts", "2");

    assertPrinted(work, ExitCodes.BACKFILL_FAILED, "failed");
    assertTrue(
        work.out().contains("Backfill " + FILL + " failed; its latest failed batch attempts"),
        work::toString);
    assertTrue(
        work.out()
            .contains(
                "batch 2 (keys 101 to 200), attempt 2: java.lang.IllegalStateException: no total for"
                    + " key 101; its last attempt (2 of 2): the backfill failed"),
        work::toString);
    assertTrue(work.out().contains("Fix the cause, then: resume " + FILL), work::toString);
    CliRun status = run(catalog, "status");
    // The FAILED row itself shows the progress it stopped at (a failed backfill has no history
    // row, so the columns of one are empty and PROGRESS is filled).
    assertTrue(
        status
            .out()
            .lines()
            .anyMatch(
                line ->
                    line.matches(
                        FILL
                            + "\\s+FAILED\\s+Fill hits\\s+\\d+\\.\\d% \\(\\d+ of 250 rows.*, failed")),
        status::toString);
    assertTrue(
        status.out().contains("attempt 1: java.lang.IllegalStateException"), status::toString);
    assertTrue(
        status.out().contains("0 applied, 0 pending, 1 failed, 0 removed from code"),
        status::toString);
    CliRun refused = run(catalog, "migrate");
    assertEquals(ExitCodes.BACKFILL_FAILED, refused.exitCode(), refused::toString);
    assertTrue(refused.err().contains("resume " + FILL), refused::toString);
    assertEquals(List.of(0, 1), hits(jdbi, items), "the failed batches left nothing behind");

    catalog.broken = false;
    assertPrinted(run(catalog, "resume", Long.toString(FILL)), ExitCodes.SUCCESS, "running");
    CliRun finalize = run(catalog, "finalize", Long.toString(FILL));
    assertPrinted(finalize, ExitCodes.SUCCESS, "done");
    assertEquals(List.of(1), hits(jdbi, items));
    assertEquals(0, run(catalog, "finalize", Long.toString(FILL)).exitCode());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql"})
  void workRefusesACancelledBackfillWithExitCode5(String name) throws Exception {
    Jdbi jdbi = setUp(name);
    Catalog catalog = new Catalog(items, true);
    try (MigrationRunner other =
        MigrationRunner.configure(jdbi, catalog)
            .table(history)
            .with(BackfillSettings.builder().batchSize(100).detach(true).build())
            .build()) {
      other.migrate();
      assertTrue(
          catalog.firstBatchStarted.await(30, TimeUnit.SECONDS),
          "the worker never started a batch");
      Backfills.of(other).cancel(FILL);
      catalog.release.countDown();
      assertTrue(
          Backfills.of(other).awaitDetached(Duration.ofSeconds(60)),
          "the cancelled worker did not stop");
    }

    CliRun work = run(catalog, "work", Long.toString(FILL));
    assertEquals(ExitCodes.BACKFILL_NOT_DONE, work.exitCode(), work::toString);
    assertTrue(
        work.err()
            .startsWith(
                "Error: Backfill "
                    + FILL
                    + " (Fill hits, test.FillHits) was cancelled at 40.0% (100 of 250"),
        work::toString);
    assertEquals(BackfillState.CANCELLED, progressState(jdbi, catalog));
    assertEquals(List.of(0, 1), hits(jdbi, items)); // the batch held before the cancel, and no more
  }

  private BackfillState progressState(Jdbi jdbi, Catalog catalog) {
    try (MigrationRunner runner = MigrationRunner.configure(jdbi, catalog).table(history).build()) {
      return Backfills.of(runner).progress(FILL).orElseThrow().state();
    }
  }

  @Test
  void migrateRunsTheBackfillAndPrintsItsProgress() {
    Jdbi jdbi = setUp("h2");
    CliRun migrate = run(new Catalog(items, false), "migrate", "--batch-size", "100");
    assertEquals(0, migrate.exitCode(), migrate::toString);
    assertTrue(
        migrate.out().contains("Migrating up 20240201000000 Fill hits ..."), migrate::toString);
    assertTrue(
        migrate.out().contains("backfill 20240201000000 Fill hits: 100.0% (250 of 250 rows"),
        migrate::toString);
    assertEquals(List.of(1), hits(jdbi, items));
  }

  @Test
  void helpListsTheBackfillCommands() {
    CliRun help = CliRun.of(DataMigrationsCli.forCatalog(new Catalog(items, false)), "--help");
    for (BackfillVerb verb : BackfillVerb.values()) {
      assertTrue(
          help.out()
              .lines()
              .anyMatch(
                  line ->
                      line.matches(
                          "  "
                              + verb.commandName()
                              + " +"
                              + verb.description()[0].substring(0, 20)
                              + ".*")),
          verb + " in\n" + help.out());
    }
    assertTrue(help.out().contains("5  a backfill is cancelled"), help.out());
    // resume and cancel take a FAILED backfill too (BackfillControl): their help says so.
    CliRun resume =
        CliRun.of(DataMigrationsCli.forCatalog(new Catalog(items, false)), "resume", "--help");
    String resumeHelp = resume.out().replaceAll("\\s+", " "); // picocli wraps at 80 columns
    assertTrue(
        resumeHelp.contains("Resumes a paused, cancelled or failed backfill"), resume::toString);
    assertTrue(
        resumeHelp.contains("A failed one's batches get all their attempts again."),
        resume::toString);
    CliRun cancel =
        CliRun.of(DataMigrationsCli.forCatalog(new Catalog(items, false)), "cancel", "--help");
    assertTrue(
        cancel
            .out()
            .replaceAll("\\s+", " ")
            .contains("Cancels a running, paused or failed backfill"),
        cancel::toString);
  }
}
