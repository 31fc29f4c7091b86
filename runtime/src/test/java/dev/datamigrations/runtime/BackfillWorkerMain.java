package dev.datamigrations.runtime;

import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.Backfills;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * The child JVM of the backfill tests: a worker process, killed, paused or cancelled from the test.
 *
 * <p>Arguments: JDBC URL, user ("" for none), password, history table, items table, marker table,
 * milliseconds each batch sleeps, batch size, verb ({@code migrate}, {@code work}, or {@code
 * work-telling-idle}: work, and print {@link #IDLE_WHILE_PAUSED} each time it finds the backfill
 * paused with no batch of this process in flight), and optionally a file to wait for before
 * starting (so that several workers start together). The system property {@code
 * backfill.subBatchSize} sets sub-batches.
 */
public final class BackfillWorkerMain {
  static final String READY = "BackfillWorkerMain: ready";
  static final String FINISHED = "BackfillWorkerMain: finished ";
  static final String IDLE_WHILE_PAUSED = "BackfillWorkerMain: paused, no batch in flight";

  private BackfillWorkerMain() {}

  public static void main(String[] args) throws Exception {
    Jdbi jdbi = args[1].isEmpty() ? Jdbi.create(args[0]) : Jdbi.create(args[0], args[1], args[2]);
    BackfillCatalog catalog = new BackfillCatalog(args[4], args[5], Long.parseLong(args[6]));
    MigrationRunner runner =
        BackfillRunnerBuilder.configure(jdbi, catalog)
            .table(args[3])
            .batchSize(Integer.parseInt(args[7]))
            .lockTimeout(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50))
            .backfills(b -> b.subBatchSize(Integer.getInteger("backfill.subBatchSize", 0)))
            .build();
    System.out.println(READY);
    System.out.flush();
    if (args.length > 9) {
      Path start = Path.of(args[9]);
      while (!Files.exists(start)) {
        Thread.sleep(10);
      }
    }
    if (args[8].equals("work-telling-idle")) {
      tellIdleWhilePaused(runner);
    }
    if (args[8].startsWith("work")) {
      System.out.println(FINISHED + Backfills.of(runner).work(BackfillCatalog.FILL).state());
    } else {
      runner.migrate();
      System.out.println(FINISHED + "migrate");
    }
    System.out.flush();
    System.exit(0);
  }

  /**
   * Prints {@link #IDLE_WHILE_PAUSED} once per pause, when the state read is paused and then no
   * batch is in flight here: a batch that begins after that reads the pause, so none commits.
   */
  private static void tellIdleWhilePaused(MigrationRunner runner) {
    Thread watcher =
        new Thread(
            () -> {
              Backfills backfills = Backfills.of(runner);
              boolean told = false;
              while (true) {
                boolean paused =
                    backfills
                        .progress(BackfillCatalog.FILL)
                        .map(p -> p.state() == BackfillState.PAUSED)
                        .orElse(false);
                if (!paused) {
                  told = false;
                } else if (!told && backfills.batchesInFlight(BackfillCatalog.FILL) == 0) {
                  System.out.println(IDLE_WHILE_PAUSED);
                  System.out.flush();
                  told = true;
                }
                try {
                  Thread.sleep(50); // the watcher's poll interval
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "idle-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }
}
