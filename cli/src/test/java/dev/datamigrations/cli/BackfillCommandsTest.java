package dev.datamigrations.cli;

import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.backfill.Backfills;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.KeyRange;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationKind;
import dev.datamigrations.runtime.MigrationRunner;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The backfill commands on an in-memory H2 database: work, pause, resume, cancel, and status's progress. */
class BackfillCommandsTest {
  static final long FILL = 20240201000000L;

  private final String url = "jdbc:h2:mem:cli_bf_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  private final Jdbi jdbi = Jdbi.create(url);

  /** One backfill that adds 1 to {@code hits} of every row of {@code items}. */
  static final class Catalog implements MigrationCatalog {
    @Override
    public List<MigrationDescriptor> descriptors() {
      return List.of(new MigrationDescriptor(FILL, "Fill hits", "test.FillHits", false, false, MigrationKind.BACKFILL));
    }

    @Override
    public Migration instantiate(int index) {
      return new Backfill() {
        @Override
        public KeyRange keys() {
          return KeyRange.of("items", "id");
        }

        @Override
        public void process(Handle handle, Batch batch) {
          handle.execute("UPDATE items SET hits = hits + 1 WHERE id BETWEEN ? AND ?", batch.first(), batch.last());
        }
      };
    }
  }

  @BeforeEach
  void createItems() {
    jdbi.useHandle(
        h -> {
          h.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, hits INT NOT NULL)");
          h.execute("INSERT INTO items SELECT x, 0 FROM SYSTEM_RANGE(1, 250)");
        });
  }

  private CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--url";
    all[1] = url;
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of(DataMigrationsCli.forCatalog(new Catalog()).environment(Map.of()), all);
  }

  private List<Integer> hits() {
    return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT hits FROM items").mapTo(Integer.class).list());
  }

  @Test
  void migrateRunsTheBackfillAndPrintsItsProgress() {
    CliRun migrate = run("migrate", "--batch-size", "100");
    assertEquals(0, migrate.exitCode(), migrate::toString);
    assertTrue(migrate.out().contains("Migrating up 20240201000000 Fill hits ..."), migrate::toString);
    assertTrue(migrate.out().contains("backfill 20240201000000 Fill hits: 100.0% (250 of 250 rows"), migrate::toString);
    assertEquals(List.of(1), hits());
  }

  @Test
  void pauseCancelResumeAndWork() {
    // Start it detached and leave it paused, as another process would.
    try (MigrationRunner runner =
        MigrationRunner.configure(jdbi, new Catalog())
            .with(BackfillSettings.builder().batchSize(10).detach(true).build())
            .build()) {
      runner.migrate();
      Backfills.of(runner).pause(FILL);
    }

    CliRun status = run("status");
    assertEquals(0, status.exitCode(), status::toString);
    assertTrue(status.out().contains("PROGRESS"), status::toString);
    assertTrue(status.out().matches("(?s).*20240201000000\\s+RUNNING\\s+Fill hits\\s+.*paused.*"), status::toString);
    assertTrue(status.out().contains("0 applied, 0 pending, 1 running, 0 removed from code"), status::toString);

    CliRun cancel = run("cancel", "20240201000000");
    assertEquals(0, cancel.exitCode(), cancel::toString);
    assertTrue(cancel.out().contains("cancelled"), cancel::toString);

    CliRun refused = run("migrate");
    assertEquals(ExitCodes.BACKFILL_NOT_DONE, refused.exitCode(), refused::toString);
    assertTrue(refused.err().contains("was cancelled"), refused::toString);

    CliRun resume = run("resume", "20240201000000");
    assertEquals(0, resume.exitCode(), resume::toString);

    CliRun work = run("work", "20240201000000", "--workers", "2", "--target-batch-duration", "50ms");
    assertEquals(0, work.exitCode(), work::toString);
    assertTrue(work.out().contains("100.0% (250 of 250 rows"), work::toString);
    assertEquals(List.of(1), hits());

    CliRun done = run("pause", "20240201000000");
    assertEquals(ExitCodes.USAGE, done.exitCode(), done::toString);
    assertTrue(done.err().contains("it is done"), done::toString);
    assertEquals(0, run("status").exitCode());
    assertTrue(run("status").out().contains("1 applied, 0 pending, 0 removed from code"));
  }

  @Test
  void helpListsTheBackfillCommands() {
    CliRun help = CliRun.of(DataMigrationsCli.forCatalog(new Catalog()), "--help");
    for (String command : List.of("work", "pause", "resume", "cancel")) {
      assertTrue(help.out().contains("  " + command + " "), command + " in\n" + help.out());
    }
    assertTrue(help.out().contains("5  a backfill is cancelled"), help.out());
  }
}
