package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.backfill.PostgresHealthCheck;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The options of a backfill under live traffic, {@code --busy-pause}, {@code
 * --durable-batch-commits}, {@code --postgres-autovacuum-on-table} and {@code
 * --postgres-max-wal-rate}: parsed into the backfill settings (the PostgreSQL signals with or
 * without {@code --postgres-health-check}), listed by {@code --help}, and a bad value is a usage
 * error (exit 2) naming the option, before any database is touched.
 */
class LiveTrafficOptionsTest {

  private static BackfillSettings settings(String... args) {
    RunOptions options = new RunOptions();
    new CommandLine(options).parseArgs(args);
    return options.backfills().build();
  }

  private static CliRun cli(String... args) {
    return CliRun.of(DataMigrationsCli.forCatalog(new TestCatalog()).environment(Map.of()), args);
  }

  @Test
  void theOptionsReachTheBackfillSettings() {
    BackfillSettings defaults = settings();
    assertEquals(2.0, defaults.busyPause());
    assertFalse(defaults.durableBatchCommits());
    assertFalse(defaults.healthCheck() instanceof PostgresHealthCheck);

    BackfillSettings set =
        settings("--busy-pause=2.5", "--durable-batch-commits", "--postgres-max-wal-rate", "64MB");
    assertEquals(2.5, set.busyPause());
    assertTrue(set.durableBatchCommits());
    PostgresHealthCheck walOnly = assertInstanceOf(PostgresHealthCheck.class, set.healthCheck());
    assertEquals(OptionalLong.of(64L * 1024 * 1024), walOnly.maxWalRate());
    assertFalse(walOnly.watchesAutovacuumOnTable());
    assertEquals(Optional.empty(), walOnly.maxTransactionAge(), "only the signal asked for");

    PostgresHealthCheck all =
        assertInstanceOf(
            PostgresHealthCheck.class,
            settings(
                    "--postgres-health-check",
                    "--postgres-autovacuum-on-table",
                    "--postgres-max-wal-rate=512kb",
                    "--busy-pause",
                    "0")
                .healthCheck());
    assertEquals(Optional.of(Duration.ofMinutes(10)), all.maxTransactionAge());
    assertEquals(Optional.of(Duration.ofSeconds(30)), all.maxReplicationLag());
    assertTrue(all.watchesAutovacuumOnTable());
    assertEquals(OptionalLong.of(512L * 1024), all.maxWalRate());
    assertEquals(0.0, settings("--busy-pause", "0").busyPause());

    PostgresHealthCheck defaultsOnly =
        assertInstanceOf(
            PostgresHealthCheck.class, settings("--postgres-health-check").healthCheck());
    assertFalse(defaultsOnly.watchesAutovacuumOnTable());
    assertEquals(OptionalLong.empty(), defaultsOnly.maxWalRate());
  }

  @Test
  void aBadValueIsAUsageErrorNamingTheOption() {
    CliRun negative = cli("migrate", "--busy-pause", "-1");
    assertEquals(ExitCodes.USAGE, negative.exitCode(), negative::toString);
    assertTrue(
        negative
            .err()
            .startsWith(
                "Error: Invalid value for option '--busy-pause': '-1' is not a multiple of at least 0:"
                    + " write 0 (off), 1 (the default), 3 or another number such as 0.5"),
        negative::toString);
    assertEquals("", negative.out(), negative::toString);

    for (String bad : new String[] {"often", "NaN", "Infinity"}) {
      CliRun run = cli("status", "--busy-pause=" + bad);
      assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
      assertTrue(run.err().contains("'--busy-pause'"), run::toString);
    }

    for (String bad : new String[] {"0", "0MB", "lots", "-5MB", "99999999999TB"}) {
      CliRun run = cli("work", "20240201000000", "--postgres-max-wal-rate", bad);
      assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
      assertTrue(
          run.err()
              .startsWith(
                  "Error: Invalid value for option '--postgres-max-wal-rate': '"
                      + bad
                      + "' is not a positive size: write bytes such as 64MB, 512KB, 1GB or 65536"),
          run::toString);
    }
  }

  @Test
  void helpListsTheOptions() {
    CliRun help = cli("migrate", "--help");
    assertEquals(0, help.exitCode(), help::toString);
    for (String option :
        new String[] {
          "--busy-pause=MULTIPLE",
          "--durable-batch-commits",
          "--postgres-autovacuum-on-table",
          "--postgres-max-wal-rate=SIZE"
        }) {
      assertTrue(help.out().contains(option), option + "\n" + help);
    }
  }
}
