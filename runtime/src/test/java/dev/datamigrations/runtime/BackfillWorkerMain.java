package dev.datamigrations.runtime;

import dev.datamigrations.runtime.backfill.Backfills;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * The child JVM of the backfill tests: a worker process, killed, paused or cancelled from the test.
 *
 * <p>Arguments: JDBC URL, user ("" for none), password, history table, items table, marker table,
 * milliseconds each batch sleeps, batch size, verb ({@code migrate} or {@code work}), and
 * optionally a file to wait for before starting (so that several workers start together). The
 * system property {@code backfill.subBatchSize} sets sub-batches.
 */
public final class BackfillWorkerMain {
  static final String READY = "BackfillWorkerMain: ready";
  static final String FINISHED = "BackfillWorkerMain: finished ";

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
    if (args[8].equals("work")) {
      System.out.println(FINISHED + Backfills.of(runner).work(BackfillCatalog.FILL).state());
    } else {
      runner.migrate();
      System.out.println(FINISHED + "migrate");
    }
    System.out.flush();
    System.exit(0);
  }
}
