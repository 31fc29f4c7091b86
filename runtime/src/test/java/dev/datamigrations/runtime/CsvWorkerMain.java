package dev.datamigrations.runtime;

import dev.datamigrations.runtime.backfill.BackfillSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * The child JVM of the CSV kill -9 test: runs a {@link CsvRecorder} backfill with {@code migrate}
 * until it is killed.
 *
 * <p>Arguments: JDBC URL, user ("" for none), password, history table, target table, CSV file,
 * milliseconds each batch sleeps, batch size.
 */
public final class CsvWorkerMain {
  private CsvWorkerMain() {}

  public static void main(String[] args) throws Exception {
    Jdbi jdbi = args[1].isEmpty() ? Jdbi.create(args[0]) : Jdbi.create(args[0], args[1], args[2]);
    MigrationRunner runner =
        MigrationRunner.configure(
                jdbi,
                new OneBackfillCatalog(new CsvRecorder(args[4], true, Long.parseLong(args[6]))))
            .table(args[3])
            .lockTimeout(Duration.ofSeconds(60))
            .with(
                BackfillSettings.builder()
                    .batchSize(Integer.parseInt(args[7]))
                    .csvFile(OneBackfillCatalog.VERSION, Path.of(args[5]))
                    .build())
            .build();
    runner.migrate();
    System.out.println("CsvWorkerMain: finished");
    System.exit(0);
  }
}
