package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datamigrations.runtime.MigrationCatalog;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * {@code --dry-run} on migrate, up, down and rollback, against an in-memory H2 database: the table,
 * the JSON document, the exit codes, and a database left as it was.
 */
class DryRunCommandTest {
  private final String url = "jdbc:h2:mem:dry_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  private final Jdbi jdbi = Jdbi.create(url);

  private CliRun run(MigrationCatalog catalog, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--url";
    all[1] = url;
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of(
        DataMigrationsCli.forCatalog(catalog)
            .environment(Map.of())
            .beforeCommand(
                dataSource -> Jdbi.create(dataSource).useHandle(TestCatalog::createSchema)),
        all);
  }

  private List<String> tablesAndRows() {
    return jdbi.withHandle(
        h ->
            h
                .createQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'PUBLIC'"
                        + " ORDER BY table_name")
                .mapTo(String.class)
                .list()
                .stream()
                .map(
                    table ->
                        table
                            + h.createQuery("SELECT * FROM " + table).mapToMap().list().toString())
                .toList());
  }

  @Test
  void migrateDryRunPrintsTheTableExitsZeroAndChangesNothing() {
    run(new TestCatalog(), "up", Long.toString(TestCatalog.SEED)); // seed for real
    List<String> before = tablesAndRows();

    CliRun run = run(new TestCatalog(), "migrate", "--dry-run");

    assertEquals(0, run.exitCode(), run::toString);
    assertEquals(before, tablesAndRows(), "same tables, same rows, same history");
    List<String> lines = run.out().lines().toList();
    assertEquals("Dry run of migrate: every change below was rolled back.", lines.get(0));
    assertEquals(
        "VERSION         DESCRIPTION              OUTCOME      ROWS  STATEMENTS  TIME",
        lines.get(1));
    assertTrue(
        lines
            .get(2)
            .matches(
                "20240102000000  Normalize phone numbers  would apply  3     1           \\d+\\.\\d s"),
        run::toString);
    assertTrue(
        lines
            .get(3)
            .matches(
                "20240103000000  Purge test accounts      would apply  1     1           \\d+\\.\\d s"),
        run::toString);
    assertTrue(
        lines
            .get(4)
            .matches(
                "4 rows changed by 2 statements in \\d+\\.\\d s, all rolled back; 2 data"
                    + " migrations planned, 0 not dry-runnable\\. Nothing was changed\\."),
        run::toString);
    assertFalse(run.out().contains("UPDATE customers"), "statements only with --verbose");
  }

  @Test
  void verbosePrintsEachStatementWithItsRows() {
    CliRun run = run(new TestCatalog(), "--verbose", "migrate", "--dry-run");

    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(
        run.out()
            .contains("    INSERT INTO customers VALUES (1, 'Ada', '+33 6 12 34 56 78')  (1 rows)"),
        run::toString);
    assertTrue(
        run.out().contains("    DELETE FROM customers WHERE name = 'Test'  (1 rows)"),
        run::toString);
  }

  @Test
  void aMigrationThatWouldFailExitsSevenAndSaysWhy() {
    run(new TestCatalog(), "migrate");
    List<String> before = tablesAndRows();

    CliRun run =
        run(TestCatalog.standardPlus(TestCatalog.BREAK_ON_PURPOSE), "migrate", "--dry-run");

    assertEquals(ExitCodes.DRY_RUN_WOULD_FAIL, run.exitCode(), run::toString);
    assertEquals(before, tablesAndRows());
    assertTrue(run.out().contains("WOULD FAIL"), run::toString);
    assertTrue(
        run.out()
            .contains(
                "20240104000000 WOULD FAIL: failed while migrating up: java.lang.IllegalStateException: boom"),
        run::toString);
    assertTrue(
        run.out().contains("The real migrate would stop at 20240104000000 (WOULD FAIL)."),
        run::toString);
  }

  @Test
  void theRealVerbsRefusalsKeepTheirExitCodes() {
    run(new TestCatalog(), "migrate");
    List<String> before = tablesAndRows();

    CliRun irreversible = run(new TestCatalog(), "rollback", "--dry-run");
    CliRun unknown = run(new TestCatalog(), "down", "99", "--dry-run");
    CliRun jsonAlone = run(new TestCatalog(), "migrate", "--format", "json");

    assertEquals(ExitCodes.USAGE, irreversible.exitCode(), irreversible::toString);
    assertTrue(irreversible.err().contains("irreversible"), irreversible::toString);
    assertEquals(ExitCodes.USAGE, unknown.exitCode(), unknown::toString);
    assertEquals(ExitCodes.USAGE, jsonAlone.exitCode(), jsonAlone::toString);
    assertTrue(jsonAlone.err().contains("--format json goes with --dry-run"), jsonAlone::toString);
    assertEquals(before, tablesAndRows());
  }

  @Test
  void downAndUpDryRunsAndTheJsonDocument() throws Exception {
    run(new TestCatalog(), "migrate");
    List<String> before = tablesAndRows();

    CliRun down =
        run(
            new TestCatalog(),
            "down",
            Long.toString(TestCatalog.SEED),
            "--dry-run",
            "--format",
            "json");
    CliRun up = run(new TestCatalog(), "up", Long.toString(TestCatalog.SEED), "--dry-run");

    assertEquals(0, down.exitCode(), down::toString);
    assertEquals(before, tablesAndRows());
    JsonNode document = new ObjectMapper().readTree(down.out());
    assertEquals(1, document.get("formatVersion").asInt());
    assertEquals("down " + TestCatalog.SEED, document.get("dryRun").asText());
    assertTrue(document.get("wouldSucceed").asBoolean());
    JsonNode entry = document.get("migrations").get(0);
    assertEquals("DOWN", entry.get("direction").asText());
    assertEquals("WOULD_SUCCEED", entry.get("outcome").asText());
    assertEquals(2, entry.get("rowsChanged").asLong(), "customers 1 and 2 (3 was purged)");
    assertEquals(
        "DELETE FROM customers WHERE id IN (1, 2, 3)",
        entry.get("statements").get(0).get("sql").asText());
    assertEquals(0, up.exitCode(), up::toString);
    assertTrue(up.out().contains("Nothing to do: 1 data migration already applied."), up::toString);
  }

  @Test
  void aDryRunWaitingForAnotherRunsLockExitsWithThreeAndPrintsNoTable() throws Exception {
    run(new TestCatalog(), "up", Long.toString(TestCatalog.SEED)); // the lock table, on H2
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<CliRun> real =
        CompletableFuture.supplyAsync(
            () -> run(TestCatalog.standardPlus(TestCatalog.blocking(started, release)), "migrate"));
    try {
      assertTrue(started.await(10, TimeUnit.SECONDS), "the real run did not start");

      CliRun dry = run(new TestCatalog(), "--lock-timeout", "300ms", "migrate", "--dry-run");

      assertEquals(ExitCodes.LOCK_TIMEOUT, dry.exitCode(), dry::toString);
      assertFalse(dry.out().contains("Dry run of"), dry::toString);
    } finally {
      release.countDown();
    }
    assertEquals(0, real.get(10, TimeUnit.SECONDS).exitCode());
  }

  @Test
  void aDryRunOfRollbackWithNoStepsIsAUsageError() {
    CliRun run = run(new TestCatalog(), "rollback", "--steps", "0", "--dry-run");

    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().contains("--steps must be at least 1"), run::toString);
  }
}
