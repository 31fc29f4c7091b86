package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.MigrationCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** Runs each command against an in-memory H2 database and checks output, exit code and data. */
class CommandsTest {
  private final String url = "jdbc:h2:mem:cli_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  private final Jdbi jdbi = Jdbi.create(url);

  private DataMigrationsCli.Builder cli(MigrationCatalog catalog) {
    return DataMigrationsCli.forCatalog(catalog)
        .environment(Map.of())
        .beforeCommand(dataSource -> Jdbi.create(dataSource).useHandle(TestCatalog::createSchema));
  }

  private CliRun run(MigrationCatalog catalog, String... args) {
    return CliRun.of(cli(catalog), withUrl(args));
  }

  private String[] withUrl(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--url";
    all[1] = url;
    System.arraycopy(args, 0, all, 2, args.length);
    return all;
  }

  private List<String> phones() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT phone FROM customers ORDER BY id").mapTo(String.class).list());
  }

  private List<Long> history() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT version FROM data_migrations ORDER BY version")
                .mapTo(Long.class)
                .list());
  }

  @Test
  void migrateAppliesEverythingPrintsProgressAndSummary() {
    CliRun run = run(new TestCatalog(), "migrate", "--reason", "JIRA-1 first load");

    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(
        run.out()
            .matches(
                "(?s).*Migrating up 20240101000000 Seed customers \\.\\.\\. done in \\d+\\.\\d s\n.*"),
        run::toString);
    assertTrue(
        run.out().contains("Migrating up 20240102000000 Normalize phone numbers ... done in"),
        run::toString);
    assertTrue(
        run.out()
            .matches(
                "(?s).*Applied 3 data migrations in \\d+\\.\\d s \\(0 already applied\\)\\.\n"),
        run::toString);
    assertEquals(List.of("+33612345678", "0612345679"), phones());

    CliRun again = run(new TestCatalog(), "migrate");
    assertEquals(0, again.exitCode(), again::toString);
    assertEquals("Nothing to migrate: 3 data migrations already applied.\n", again.out());
  }

  @Test
  void globalOptionsMayFollowTheCommand() {
    CliRun run = CliRun.of(cli(new TestCatalog()), "migrate", "--url", url, "--operator", "ci");
    assertEquals(0, run.exitCode(), run::toString);
    assertEquals(3, history().size());
  }

  @Test
  void statusPrintsAnAlignedTableAndASummary() {
    run(new TestCatalog(), "migrate", "--operator", "alice");
    // The seed migration was deleted from the code after it ran; a new one is pending.
    TestCatalog laterCode =
        new TestCatalog(
            List.of(
                TestCatalog.NORMALIZE_PHONES,
                TestCatalog.PURGE_TEST_ACCOUNTS,
                TestCatalog.BREAK_ON_PURPOSE));

    CliRun run = run(laterCode, "status");

    assertEquals(0, run.exitCode(), run::toString);
    List<String> lines = run.out().lines().toList();
    assertEquals(6, lines.size(), run::toString);
    String header = lines.get(0);
    assertTrue(header.startsWith("VERSION         STATE    DESCRIPTION"), header);
    int stateColumn = header.indexOf("STATE");
    int descriptionColumn = header.indexOf("DESCRIPTION");
    int appliedAtColumn = header.indexOf("APPLIED AT (UTC)");
    int appliedByColumn = header.indexOf("APPLIED BY");
    assertTrue(header.indexOf("DURATION") > appliedByColumn, header);
    for (String row : lines.subList(1, 5)) {
      assertEquals(' ', row.charAt(stateColumn - 1), row);
      assertTrue(Character.isLetter(row.charAt(stateColumn)), row);
      assertTrue(Character.isLetter(row.charAt(descriptionColumn)), row);
    }
    assertTrue(
        lines
            .get(1)
            .matches(
                "20240101000000  REMOVED  Seed customers +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ .*"),
        lines.get(1));
    assertTrue(
        lines.get(2).startsWith("20240102000000  APPLIED  Normalize phone numbers"), lines.get(2));
    assertTrue(
        lines
            .get(2)
            .substring(appliedAtColumn)
            .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +.*"),
        lines.get(2));
    assertTrue(lines.get(2).substring(appliedByColumn).contains("alice"), lines.get(2));
    assertTrue(lines.get(2).matches(".*\\d+\\.\\d s$"), lines.get(2));
    assertTrue(
        lines.get(3).startsWith("20240103000000  APPLIED  Purge test accounts"), lines.get(3));
    assertEquals("20240104000000  PENDING  Break on purpose", lines.get(4));
    assertEquals("2 applied, 1 pending, 1 removed from code", lines.get(5));
  }

  @Test
  void upAppliesOneVersionAndDownRevertsIt() {
    CliRun up = run(new TestCatalog(), "up", Long.toString(TestCatalog.SEED));
    assertEquals(0, up.exitCode(), up::toString);
    assertTrue(up.out().contains("Applied 20240101000000 in"), up::toString);
    assertEquals(List.of(TestCatalog.SEED), history());
    assertEquals(3, phones().size());

    CliRun down = run(new TestCatalog(), "down", Long.toString(TestCatalog.SEED));
    assertEquals(0, down.exitCode(), down::toString);
    assertTrue(
        down.out().contains("Migrating down 20240101000000 Seed customers ... done in"),
        down::toString);
    assertTrue(down.out().contains("Reverted 20240101000000 in"), down::toString);
    assertEquals(List.of(), history());
    assertEquals(List.of(), phones());

    CliRun notApplied = run(new TestCatalog(), "down", Long.toString(TestCatalog.SEED));
    assertEquals(2, notApplied.exitCode(), notApplied::toString);
  }

  @Test
  void unknownVersionIsAUsageError() {
    CliRun run = run(new TestCatalog(), "up", "19990101000000");
    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().contains("19990101000000"), run::toString);
    assertTrue(run.err().contains("Nothing was changed."), run::toString);
  }

  @Test
  void downOfAnIrreversibleMigrationIsRefused() {
    run(new TestCatalog(), "migrate");

    CliRun run = run(new TestCatalog(), "down", Long.toString(TestCatalog.PURGE));

    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().startsWith("Error: "), run::toString);
    assertEquals(1, run.err().split("Nothing was changed", -1).length - 1, run::toString);
    assertTrue(!run.err().contains("\tat "), "no stack trace without --verbose: " + run);
    assertEquals(3, history().size());
  }

  @Test
  void refuseOutOfOrderStopsBeforeChangingAnything() {
    run(new TestCatalog(), "up", Long.toString(TestCatalog.NORMALIZE));

    CliRun run = run(new TestCatalog(), "migrate", "--refuse-out-of-order");

    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().contains("20240101000000"), run::toString);
    assertTrue(run.err().contains("--refuse-out-of-order"), run::toString);
    assertEquals(List.of(TestCatalog.NORMALIZE), history());
  }

  @Test
  void rollbackRevertsTheNewestSteps() {
    run(new TestCatalog(), "up", Long.toString(TestCatalog.SEED));
    run(new TestCatalog(), "up", Long.toString(TestCatalog.NORMALIZE));

    CliRun run = run(new TestCatalog(), "rollback", "--steps", "2");

    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("Rolled back 2 data migrations in"), run::toString);
    assertEquals(List.of(), history());
    assertEquals(List.of(), phones());
  }

  @Test
  void failedMigrationExitsWithOneAndSaysItWasRolledBack() {
    run(new TestCatalog(), "migrate");

    CliRun run = run(TestCatalog.standardPlus(TestCatalog.BREAK_ON_PURPOSE), "migrate");

    assertEquals(ExitCodes.MIGRATION_FAILED, run.exitCode(), run::toString);
    assertTrue(
        run.out().contains("Migrating up 20240104000000 Break on purpose ... FAILED, rolled back"),
        run::toString);
    assertTrue(run.err().contains("20240104000000"), run::toString);
    assertTrue(run.err().contains("boom"), run::toString);
    assertTrue(
        run.err().contains("Its changes were rolled back and its history row was not written."),
        run::toString);
    assertTrue(!run.err().contains("Before this failure"), run::toString);
    assertTrue(!run.err().contains("\tat "), run::toString);
    assertEquals(3, history().size());
    int broken =
        jdbi.withHandle(
            h ->
                h.select("SELECT COUNT(*) FROM customers WHERE name = 'broken'")
                    .mapTo(Integer.class)
                    .one());
    assertEquals(0, broken);

    CliRun verbose =
        run(TestCatalog.standardPlus(TestCatalog.BREAK_ON_PURPOSE), "migrate", "--verbose");
    assertEquals(ExitCodes.MIGRATION_FAILED, verbose.exitCode(), verbose::toString);
    assertTrue(verbose.err().contains("\tat "), verbose::toString);
  }

  @Test
  void failedMigrationAfterOthersOfTheSameRunExitsWithSixAndListsThem() {
    CliRun run = run(TestCatalog.standardPlus(TestCatalog.BREAK_ON_PURPOSE), "migrate");

    assertEquals(ExitCodes.PARTLY_APPLIED, run.exitCode(), run::toString);
    assertTrue(
        run.err()
            .contains(
                "Its changes were rolled back and its history row was not written. Before this failure, this run"
                    + " applied 3 data migrations, which stay applied: 20240101000000 (Seed customers,"
                    + " test.SeedCustomers), 20240102000000"),
        run::toString);
    assertEquals(3, history().size());
  }

  @Test
  void pendingListsWhatMigrateWouldRunAndCheckExitsWithFour() {
    run(new TestCatalog(), "up", Long.toString(TestCatalog.SEED));

    CliRun list = run(new TestCatalog(), "pending");
    assertEquals(0, list.exitCode(), list::toString);
    assertEquals(
        "2 data migrations pending:\n"
            + "  20240102000000  Normalize phone numbers\n"
            + "  20240103000000  Purge test accounts\n",
        list.out());

    CliRun check = run(new TestCatalog(), "pending", "--check");
    assertEquals(4, check.exitCode(), check::toString);

    run(new TestCatalog(), "migrate");
    CliRun clean = run(new TestCatalog(), "pending", "--check");
    assertEquals(0, clean.exitCode(), clean::toString);
    assertEquals("No pending data migrations.\n", clean.out());
  }

  @Test
  void connectionComesFromEnvironmentVariablesThenTheDefaultUrl() {
    String securedUrl = "jdbc:h2:mem:cli_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    Map<String, String> environment =
        Map.of(
            "DATAMIGRATIONS_URL",
            securedUrl,
            "DATAMIGRATIONS_USER",
            "owner",
            "DATAMIGRATIONS_PASSWORD",
            "s3cret");

    CliRun fromEnvironment = CliRun.of(cli(new TestCatalog()).environment(environment), "migrate");

    assertEquals(0, fromEnvironment.exitCode(), fromEnvironment::toString);
    int applied =
        Jdbi.create(securedUrl, "owner", "s3cret")
            .withHandle(
                h -> h.select("SELECT COUNT(*) FROM data_migrations").mapTo(Integer.class).one());
    assertEquals(3, applied);
    CliRun wrongPassword =
        CliRun.of(
            cli(new TestCatalog()).environment(environment),
            "--password",
            "not-the-password",
            "status");
    assertEquals(2, wrongPassword.exitCode(), wrongPassword::toString);
    assertTrue(
        wrongPassword.err().contains("Cannot connect to " + securedUrl), wrongPassword::toString);

    CliRun fromDefault = CliRun.of(cli(new TestCatalog()).defaultUrl(url), "pending");
    assertEquals(0, fromDefault.exitCode(), fromDefault::toString);
    assertTrue(fromDefault.out().startsWith("3 data migrations pending:"), fromDefault::toString);
  }

  @Test
  void missingUrlAndUnreachableDatabaseAreConfigurationErrors() {
    CliRun noUrl = CliRun.of(cli(new TestCatalog()), "migrate");
    assertEquals(2, noUrl.exitCode(), noUrl::toString);
    assertTrue(noUrl.err().contains("--url"), noUrl::toString);
    assertTrue(noUrl.err().contains("DATAMIGRATIONS_URL"), noUrl::toString);

    CliRun noDriver =
        CliRun.of(cli(new TestCatalog()), "--url", "jdbc:nosuchdb://localhost/x", "status");
    assertEquals(2, noDriver.exitCode(), noDriver::toString);
    assertTrue(
        noDriver.err().startsWith("Error: Cannot connect to jdbc:nosuchdb://localhost/x"),
        noDriver::toString);
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertEquals(2, run(new TestCatalog(), "frobnicate").exitCode());
    assertEquals(2, run(new TestCatalog(), "up", "yesterday").exitCode());
    assertEquals(2, run(new TestCatalog(), "up").exitCode());
    assertEquals(2, run(new TestCatalog(), "rollback", "--steps", "0").exitCode());
    CliRun badTimeout = run(new TestCatalog(), "--lock-timeout", "soon", "migrate");
    assertEquals(2, badTimeout.exitCode(), badTimeout::toString);
    assertTrue(badTimeout.err().contains("'soon' is not a duration"), badTimeout::toString);
    CliRun noCommand = run(new TestCatalog());
    assertEquals(2, noCommand.exitCode(), noCommand::toString);
    assertTrue(noCommand.err().contains("Missing command"), noCommand::toString);
  }

  @Test
  void helpDocumentsCommandsAndExitCodes() {
    CliRun help = CliRun.of(cli(new TestCatalog()), "--help");
    assertEquals(0, help.exitCode(), help::toString);
    for (String command :
        List.of("migrate", "status", "up", "down", "rollback", "pending", "new")) {
      assertTrue(help.out().contains("  " + command + " "), command + " in\n" + help.out());
    }
    assertTrue(help.out().contains("Exit codes:"), help.out());
    assertTrue(help.out().contains("4  pending --check found pending migrations"), help.out());

    CliRun subcommandHelp = CliRun.of(cli(new TestCatalog()), "rollback", "--help");
    assertEquals(0, subcommandHelp.exitCode(), subcommandHelp::toString);
    assertTrue(subcommandHelp.out().contains("--steps=N"), subcommandHelp.out());
    assertTrue(subcommandHelp.out().contains("--url"), subcommandHelp.out());
  }

  @Test
  void longMigrationPrintsStillRunning() {
    CliRun run =
        CliRun.of(
            cli(TestCatalog.standardPlus(TestCatalog.TAKE_A_WHILE))
                .progressInterval(Duration.ofMillis(100)),
            withUrl("migrate"));

    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(
        run.out()
            .contains(
                "Migrating up 20240105000000 Take a while ...\n  still running 20240105000000 Take a while (0 s)\n"),
        run::toString);
    assertTrue(
        run.out()
            .matches(
                "(?s).*still running 20240105000000 Take a while \\(0 s\\)\n  done in \\d+\\.\\d s\n.*"),
        run::toString);
  }

  @Test
  void lockHeldByAnotherRunExitsWithThree() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<CliRun> first =
        CompletableFuture.supplyAsync(
            () -> run(TestCatalog.standardPlus(TestCatalog.blocking(started, release)), "migrate"));
    try {
      assertTrue(started.await(10, TimeUnit.SECONDS), "the first run did not start");

      CliRun second = run(new TestCatalog(), "--lock-timeout", "300ms", "migrate");

      assertEquals(3, second.exitCode(), second::toString);
      assertTrue(second.err().contains("--lock-timeout"), second::toString);
    } finally {
      release.countDown();
    }
    assertEquals(0, first.get(10, TimeUnit.SECONDS).exitCode());
  }
}
