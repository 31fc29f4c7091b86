package dev.datamigrations.benchmarks.backfill;

import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationKind;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.backfill.Backfills;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.KeyRange;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A backfill of N rows on PostgreSQL, batched with 1 and 4 workers, against one plain {@code
 * UPDATE} of the same rows: throughput, the ratio batched/plain, the longest time a batch held its
 * row locks (its transaction, claim to commit), and the heap used after a full GC once each
 * backfill is done (flat as the table grows).
 *
 * <pre>
 * mvn -o -q package -DskipTests -pl benchmarks -am
 * java -cp benchmarks/target/benchmarks.jar dev.datamigrations.benchmarks.backfill.BackfillBenchmark \
 *     --url jdbc:postgresql://127.0.0.1:5432/test --user postgres --rows 1000000,10000000 --workers 1,4
 * </pre>
 *
 * <p>Each variant gets a freshly loaded, vacuumed table and a checkpoint first, so that none pays
 * for another's dead rows or WAL. Every variant is checked: each row updated exactly once.
 */
public final class BackfillBenchmark {
  private static final String TABLE = "bench_backfill_items";
  private static final String HISTORY = "bench_backfill_history";

  private BackfillBenchmark() {}

  public static void main(String[] args) {
    String url = "jdbc:postgresql://127.0.0.1:5432/test";
    String user = "postgres";
    String password = "";
    List<Long> rows = List.of(1_000_000L, 10_000_000L);
    List<Integer> workers = List.of(1, 4);
    Integer batchSize = null;
    for (int i = 0; i < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--url" -> url = value;
        case "--user" -> user = value;
        case "--password" -> password = value;
        case "--rows" -> rows = Arrays.stream(value.split(",")).map(Long::parseLong).toList();
        case "--workers" ->
            workers = Arrays.stream(value.split(",")).map(Integer::parseInt).toList();
        case "--batch-size" -> batchSize = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Jdbi jdbi = Jdbi.create(url, user, password);
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "| %-12s | %-18s | %10s | %12s | %8s | %16s | %14s |",
            "rows",
            "variant",
            "time (s)",
            "rows/s",
            "vs plain",
            "longest lock (ms)",
            "heap after GC"));
    lines.add(
        "|--------------|--------------------|------------|--------------|----------|------------------|----------------|");
    for (long count : rows) {
      load(jdbi, count);
      long start = System.nanoTime();
      jdbi.useHandle(
          h -> h.execute("UPDATE " + TABLE + " SET hits = hits + 1, payload = payload + 1"));
      double plainSeconds = (System.nanoTime() - start) / 1e9;
      check(jdbi, count);
      lines.add(row(count, "plain UPDATE", plainSeconds, plainSeconds, plainSeconds * 1000, -1));
      print(lines);
      for (int n : workers) {
        load(jdbi, count);
        BackfillSettings.Builder settings =
            BackfillSettings.builder().workers(n).progressInterval(Duration.ofSeconds(30));
        if (batchSize != null) {
          settings.batchSize(batchSize);
        }
        MigrationRunner runner =
            MigrationRunner.configure(jdbi, new Catalog())
                .table(HISTORY)
                .with(settings.build())
                .build();
        start = System.nanoTime();
        runner.migrate();
        double seconds = (System.nanoTime() - start) / 1e9;
        BackfillProgress progress = Backfills.of(runner).progress(1).orElseThrow();
        check(jdbi, count);
        if (progress.rowsDone() != count) {
          throw new AssertionError("rows done " + progress.rowsDone() + " != " + count);
        }
        long heap = heapAfterGc();
        lines.add(
            row(
                count,
                "batched, "
                    + n
                    + " worker"
                    + (n == 1 ? "" : "s")
                    + " ("
                    + progress.batchSize()
                    + ")",
                seconds,
                plainSeconds,
                progress.longestBatch().toMillis(),
                heap));
        print(lines);
      }
    }
    dropAll(jdbi);
  }

  private static String row(
      long count,
      String variant,
      double seconds,
      double plainSeconds,
      double lockMillis,
      long heap) {
    return String.format(
        Locale.ROOT,
        "| %,12d | %-18s | %10.1f | %,12.0f | %7.2fx | %,16.0f | %14s |",
        count,
        variant,
        seconds,
        count / seconds,
        plainSeconds / seconds,
        lockMillis,
        heap < 0 ? "" : String.format(Locale.ROOT, "%.1f MiB", heap / 1048576.0));
  }

  private static void print(List<String> lines) {
    System.out.println();
    lines.forEach(System.out::println);
    System.out.flush();
  }

  private static void load(Jdbi jdbi, long count) {
    dropAll(jdbi);
    long start = System.nanoTime();
    jdbi.useHandle(
        h -> {
          h.execute(
              "CREATE TABLE "
                  + TABLE
                  + " (id BIGINT PRIMARY KEY, payload INT NOT NULL, hits INT NOT NULL)");
          h.execute(
              "INSERT INTO "
                  + TABLE
                  + " SELECT g, (g % 1000)::int, 0 FROM generate_series(1, "
                  + count
                  + ") g");
          h.execute("VACUUM ANALYZE " + TABLE);
          h.execute("CHECKPOINT");
        });
    System.out.printf(
        Locale.ROOT, "loaded %,d rows in %.1f s%n", count, (System.nanoTime() - start) / 1e9);
  }

  private static void dropAll(Jdbi jdbi) {
    jdbi.useHandle(
        h -> {
          for (String table :
              List.of(
                  TABLE, HISTORY, HISTORY + "_lock", HISTORY + "_progress", HISTORY + "_batches")) {
            h.execute("DROP TABLE IF EXISTS " + table);
          }
        });
  }

  private static void check(Jdbi jdbi, long count) {
    long once =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT COUNT(*) FROM " + TABLE + " WHERE hits = 1")
                    .mapTo(Long.class)
                    .one());
    if (once != count) {
      throw new AssertionError(once + " of " + count + " rows updated exactly once");
    }
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** One backfill: the same change as the plain UPDATE, one key range at a time. */
  static final class Catalog implements MigrationCatalog {
    @Override
    public List<MigrationDescriptor> descriptors() {
      return List.of(
          new MigrationDescriptor(
              1, "Bump hits", "bench.BumpHits", false, false, MigrationKind.BACKFILL));
    }

    @Override
    public Migration instantiate(int index) {
      return new Backfill() {
        @Override
        public KeyRange keys() {
          return KeyRange.of(TABLE, "id");
        }

        @Override
        public void process(Handle handle, Batch batch) {
          handle
              .createUpdate(
                  "UPDATE "
                      + TABLE
                      + " SET hits = hits + 1, payload = payload + 1 WHERE id BETWEEN :first AND :last")
              .bind("first", batch.first())
              .bind("last", batch.last())
              .execute();
        }
      };
    }
  }
}
