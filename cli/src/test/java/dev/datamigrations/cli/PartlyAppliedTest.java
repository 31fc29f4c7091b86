package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.MigrateResult;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationKind;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.KeyRange;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A failure after part of a verb succeeded: the command line lists what was applied, never says
 * "Nothing was changed", and exits with {@link ExitCodes#PARTLY_APPLIED}.
 */
class PartlyAppliedTest {
  static final long SEED = 20240301000000L;
  static final long FILL = 20240302000000L;
  static final long AFTER = 20240303000000L;

  private final String url = "jdbc:h2:mem:cli_partly_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  private final Jdbi jdbi = Jdbi.create(url);

  /**
   * 1: a plain migration; 2: a backfill over {@code items}; 3: {@code after}, a plain migration.
   */
  static MigrationCatalog catalog(Migration after) {
    return new MigrationCatalog() {
      @Override
      public List<MigrationDescriptor> descriptors() {
        return List.of(
            new MigrationDescriptor(SEED, "Seed", "test.Seed", true, false),
            new MigrationDescriptor(
                FILL, "Fill hits", "test.FillHits", false, false, MigrationKind.BACKFILL),
            new MigrationDescriptor(AFTER, "After fill", "test.AfterFill", true, false));
      }

      @Override
      public Migration instantiate(int index) {
        return switch (index) {
          case 0 -> h -> h.execute("INSERT INTO marker (name) VALUES ('seed')");
          case 1 ->
              new Backfill() {
                @Override
                public KeyRange keys() {
                  return KeyRange.of("items", "id");
                }

                @Override
                public void process(Handle handle, Batch batch) {
                  handle.execute(
                      "UPDATE items SET hits = hits + 1 WHERE id BETWEEN ? AND ?",
                      batch.first(),
                      batch.last());
                }
              };
          case 2 -> after;
          default -> throw new IndexOutOfBoundsException(index);
        };
      }
    };
  }

  private void createTables() {
    jdbi.useHandle(
        h -> {
          h.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, hits INT NOT NULL)");
          h.execute("INSERT INTO items SELECT x, 0 FROM SYSTEM_RANGE(1, 50)");
          h.execute("CREATE TABLE marker (name VARCHAR(20))");
        });
  }

  private List<String> markers() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT name FROM marker ORDER BY name").mapTo(String.class).list());
  }

  @Test
  void aLockTimeoutAfterAMigrationAndABackfillListsThemAndExitsWithSix() throws Exception {
    createTables();
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MigrationRunner other =
        MigrationRunner.configure(
                jdbi,
                catalog(
                    h -> {
                      holding.countDown();
                      try {
                        release.await(60, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      h.execute("INSERT INTO marker (name) VALUES ('after')");
                    }))
            .lockTimeout(Duration.ofSeconds(60))
            .build();
    CompletableFuture<MigrateResult> holder = new CompletableFuture<>();
    // The command line's progress listener prints "done in" when each migration ends; the second is
    // the
    // backfill's, printed between the backfill and the locked phase that runs 3: the other runner
    // starts there
    // and takes the lock first.
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    PrintStream out =
        new PrintStream(outBytes, true, StandardCharsets.UTF_8) {
          private int done;

          @Override
          public void println(String line) {
            super.println(line);
            if (line.contains("done in") && ++done == 2) {
              CompletableFuture.runAsync(() -> holder.complete(other.migrate()));
              try {
                assertTrue(
                    holding.await(60, TimeUnit.SECONDS), "the other runner never took the lock");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
        };
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    try {
      int exitCode =
          DataMigrationsCli.forCatalog(
                  catalog(h -> h.execute("INSERT INTO marker (name) VALUES ('after')")))
              .environment(Map.of())
              .out(out)
              .err(new PrintStream(errBytes, true, StandardCharsets.UTF_8))
              .execute("--url", url, "--lock-timeout", "300ms", "migrate");
      String err = errBytes.toString(StandardCharsets.UTF_8);
      String all = "exit " + exitCode + "\n" + outBytes.toString(StandardCharsets.UTF_8) + err;

      assertEquals(ExitCodes.PARTLY_APPLIED, exitCode, all);
      assertTrue(err.contains("--lock-timeout"), all);
      assertTrue(
          err.contains(
              "Before this failure, this run applied 2 data migrations, which stay applied: 20240301000000 (Seed,"
                  + " test.Seed), 20240302000000 (Fill hits, test.FillHits)."),
          all);
      assertFalse(err.contains("Nothing was changed"), all);
      assertEquals(List.of("seed"), markers());
    } finally {
      release.countDown();
    }
    assertEquals(List.of(AFTER), holder.get(60, TimeUnit.SECONDS).versions());
    assertEquals(List.of("after", "seed"), markers());
  }

  @Test
  void aMigrationFailingAfterABackfillListsWhatWasAppliedAndExitsWithSix() {
    createTables();
    CliRun run =
        CliRun.of(
            DataMigrationsCli.forCatalog(
                    catalog(
                        h -> {
                          throw new IllegalStateException("boom");
                        }))
                .environment(Map.of()),
            "--url",
            url,
            "migrate");

    assertEquals(ExitCodes.PARTLY_APPLIED, run.exitCode(), run::toString);
    assertTrue(
        run.err().contains("Its changes were rolled back and its history row was not written."),
        run::toString);
    assertTrue(
        run.err().contains("which stay applied: 20240301000000 (Seed, test.Seed), 20240302000000"),
        run::toString);
    assertFalse(run.err().contains("Nothing was changed"), run::toString);
  }
}
