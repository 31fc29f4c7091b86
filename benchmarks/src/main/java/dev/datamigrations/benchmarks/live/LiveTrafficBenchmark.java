package dev.datamigrations.benchmarks.live;

import dev.datamigrations.benchmarks.live.migrations.FillAbalanceCents;
import dev.datamigrations.benchmarks.live.migrations.MigrationRegistry;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.backfill.Backfills;
import dev.datamigrations.runtime.backfill.BatchTuning;
import dev.datamigrations.runtime.backfill.LockWaitThrottle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;

/**
 * A backfill under live traffic (issue 13): pgbench's TPC-B-like load (4 clients) on its own {@code
 * pgbench_accounts}, while a nullable new column of that table is filled by one plain {@code
 * UPDATE} or by the backfill {@link FillAbalanceCents} at default settings; against pgbench alone.
 * Then, without load, the backfill with 1 and 4 workers against the plain {@code UPDATE}. Every
 * phase starts on freshly initialised tables and checks afterwards that no row was left NULL.
 *
 * <pre>
 * benchmarks/live-traffic.sh [--scale=10] [--no-load-rows=2000000] ...
 * </pre>
 *
 * <p>Progress on stderr, the tables on stdout. See BENCHMARKS.md for the method and every option.
 */
public final class LiveTrafficBenchmark {
  static final String HISTORY = "live_bench_history";
  static final long VERSION = 20261202000000L;

  private final LiveOptions options;
  private final Pgbench pgbench;
  private final Jdbi jdbi;
  private final Path logs;

  private LiveTrafficBenchmark(LiveOptions options, Pgbench pgbench, Jdbi jdbi, Path logs) {
    this.options = options;
    this.pgbench = pgbench;
    this.jdbi = jdbi;
    this.logs = logs;
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    LiveOptions options = LiveOptions.parse(args);
    Pgbench pgbench = Pgbench.find();
    createDatabase(options);
    Jdbi jdbi =
        Jdbi.create(options.jdbcUrl(options.database()), options.user(), options.password());
    Path logs = Files.createTempDirectory("datamigrations-live-bench");
    LiveTrafficBenchmark benchmark = new LiveTrafficBenchmark(options, pgbench, jdbi, logs);
    long start = System.nanoTime();
    String loadAtStart = loadAverage();
    List<PhaseResult> phases = new ArrayList<>();
    if (options.phases().contains("alone")) {
      phases.add(benchmark.alone());
    }
    if (options.phases().contains("plain")) {
      phases.add(benchmark.underLoad("plain UPDATE", benchmark::plainUpdate));
    }
    if (options.phases().contains("backfill")) {
      phases.add(benchmark.underLoad("backfill, defaults", benchmark::backfill));
    }
    if (options.phases().contains("throttled")) {
      phases.add(benchmark.underLoad("throttled backfill", benchmark::throttledBackfill));
    }
    List<NoLoadResult> noLoad = new ArrayList<>();
    if (options.phases().contains("noload") && options.noLoadRows() > 0) {
      noLoad.addAll(benchmark.noLoad());
    }
    benchmark.dropTables();
    String version =
        jdbi.withHandle(h -> h.createQuery("SELECT version()").mapTo(String.class).one());
    new LiveReport(System.out)
        .print(
            options,
            pgbench.version(),
            version,
            loadAtStart,
            loadAverage(),
            (System.nanoTime() - start) / 1e9,
            phases,
            noLoad);
    deleteLogs(logs);
  }

  /** pgbench alone, measured after the warm-up for {@code --alone} seconds. */
  private PhaseResult alone() {
    progress("phase: pgbench alone (%d s)", options.aloneSeconds());
    prepare(options.scale());
    Pgbench.Run run = pgbench.start(options, logs, "alone", runSeconds());
    long from = nowMicros() + options.warmupSeconds() * 1_000_000L;
    long to = from + options.aloneSeconds() * 1_000_000L;
    sleepUntil(to + options.tailSeconds() * 1_000_000L, run);
    Pgbench.Result result = run.stop();
    checkLogCovers(result, to);
    return new PhaseResult(
        "pgbench alone",
        Double.NaN,
        WindowStats.of(result.transactions(), from, to),
        result.abortedClients(),
        -1,
        "",
        Double.NaN);
  }

  /** What a change under load did: how it ended, and its longest batch where it has batches. */
  private record ChangeOutcome(String outcome, double longestBatchMillis) {}

  @FunctionalInterface
  private interface Change {
    ChangeOutcome run();
  }

  /**
   * Starts pgbench, lets it warm up, runs the change while it runs, measures the transactions
   * around it.
   */
  private PhaseResult underLoad(String name, Change change) {
    progress("phase: pgbench during %s", name);
    prepare(options.scale());
    Pgbench.Run run = pgbench.start(options, logs, name.replaceAll("[^a-z]+", "-"), runSeconds());
    sleepUntil(nowMicros() + options.warmupSeconds() * 1_000_000L, run);
    if (!run.isAlive()) {
      throw new IllegalStateException("pgbench ended during its warm-up: " + run.stop().output());
    }
    long from = nowMicros();
    ChangeOutcome outcome;
    try {
      outcome = change.run();
    } catch (RuntimeException e) {
      outcome = new ChangeOutcome("failed: " + e, Double.NaN);
    }
    long to = nowMicros();
    sleepUntil(to + options.tailSeconds() * 1_000_000L, run);
    Pgbench.Result result = run.stop();
    checkLogCovers(result, to);
    double seconds = (to - from) / 1e6;
    progress("  %s took %.1f s", name, seconds);
    return new PhaseResult(
        name,
        seconds,
        WindowStats.of(result.transactions(), from, to),
        result.abortedClients(),
        nullsLeft(),
        outcome.outcome(),
        outcome.longestBatchMillis());
  }

  private ChangeOutcome plainUpdate() {
    jdbi.useHandle(h -> h.execute(FillAbalanceCents.PLAIN_UPDATE));
    return new ChangeOutcome("done", Double.NaN);
  }

  /**
   * The backfill at default settings (one worker, default batch size, no tuner, no pause, no health
   * check).
   */
  private ChangeOutcome backfill() {
    return runBackfill(
        MigrationRegistry.configure(jdbi)
            .table(HISTORY)
            .with(BackfillSettings.builder().progressInterval(Duration.ofSeconds(30)).build())
            .build());
  }

  /**
   * The backfill with the lock-wait throttle at its defaults ({@link LockWaitThrottle#defaults()}):
   * it halves its batches and pauses while a pgbench session waits on one of its row locks.
   */
  private ChangeOutcome throttledBackfill() {
    return runBackfill(
        MigrationRegistry.configure(jdbi)
            .table(HISTORY)
            .with(
                BackfillSettings.builder()
                    .progressInterval(Duration.ofSeconds(30))
                    .throttle(LockWaitThrottle.defaults())
                    .build())
            .build());
  }

  private static ChangeOutcome runBackfill(MigrationRunner runner) {
    runner.migrate();
    BackfillProgress progress = Backfills.of(runner).progress(VERSION).orElseThrow();
    return new ChangeOutcome(
        progress.state().name().toLowerCase(Locale.ROOT)
            + ", "
            + progress.batchesDone()
            + " batches",
        progress.longestBatch().toNanos() / 1e6);
  }

  /**
   * Without load: the plain UPDATE, then the backfill with each worker count, each on fresh tables.
   */
  private List<NoLoadResult> noLoad() {
    int scale = (int) Math.max(1, (options.noLoadRows() + 99_999) / 100_000);
    long rows = scale * 100_000L;
    List<NoLoadResult> results = new ArrayList<>();
    progress("no load: plain UPDATE of %,d rows", rows);
    prepare(scale);
    long start = System.nanoTime();
    plainUpdate();
    double seconds = (System.nanoTime() - start) / 1e9;
    results.add(new NoLoadResult(rows, "plain UPDATE", seconds, seconds * 1000, nullsLeft()));
    for (int workers : options.workers()) {
      results.add(noLoadBackfill(rows, scale, workers, null));
    }
    for (int workers : options.tunedWorkers()) {
      results.add(noLoadBackfill(rows, scale, workers, BatchTuning.toward(TUNER_TARGET)));
    }
    return results;
  }

  /** The tuner's target in the no-load rows with {@code --tuned-workers}. */
  private static final Duration TUNER_TARGET = Duration.ofMillis(100);

  /**
   * The backfill of {@code rows} on fresh tables with no load, at defaults but for {@code tuning}.
   */
  private NoLoadResult noLoadBackfill(long rows, int scale, int workers, BatchTuning tuning) {
    String variant =
        "backfill, "
            + workers
            + " worker"
            + (workers == 1 ? "" : "s")
            + (tuning == null ? "" : ", tuner " + TUNER_TARGET.toMillis() + " ms");
    progress("no load: %s, %,d rows", variant, rows);
    prepare(scale);
    MigrationRunner runner =
        MigrationRegistry.configure(jdbi)
            .table(HISTORY)
            .with(
                BackfillSettings.builder()
                    .workers(workers)
                    .batchTuning(tuning)
                    .progressInterval(Duration.ofSeconds(30))
                    .build())
            .build();
    long start = System.nanoTime();
    ChangeOutcome outcome = runBackfill(runner);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new NoLoadResult(rows, variant, seconds, outcome.longestBatchMillis(), nullsLeft());
  }

  /**
   * Fresh pgbench tables at {@code scale}, the empty new column, no history of an earlier backfill,
   * a checkpoint.
   */
  private void prepare(int scale) {
    long start = System.nanoTime();
    dropHistory();
    pgbench.initialise(options, scale);
    jdbi.useHandle(
        h -> {
          h.execute(
              "ALTER TABLE pgbench_accounts ADD COLUMN " + FillAbalanceCents.COLUMN + " BIGINT");
          h.execute("CHECKPOINT");
        });
    progress(
        "  initialised pgbench at scale %d (%,d accounts) in %.1f s",
        scale, scale * 100_000L, (System.nanoTime() - start) / 1e9);
  }

  private long nullsLeft() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT COUNT(*) FROM pgbench_accounts WHERE "
                        + FillAbalanceCents.COLUMN
                        + " IS NULL")
                .mapTo(Long.class)
                .one());
  }

  private void dropHistory() {
    jdbi.useHandle(
        h -> {
          for (String suffix : List.of("", "_lock", "_progress", "_batches", "_errors")) {
            h.execute("DROP TABLE IF EXISTS " + HISTORY + suffix);
          }
        });
  }

  private void dropTables() {
    dropHistory();
    jdbi.useHandle(
        h ->
            h.execute(
                "DROP TABLE IF EXISTS pgbench_accounts, pgbench_branches, pgbench_tellers, pgbench_history"));
  }

  /**
   * pgbench's -T: long enough for any change here; the harness stops it once the phase is measured.
   */
  private int runSeconds() {
    return 6 * 3600;
  }

  private void checkLogCovers(Pgbench.Result result, long toMicros) {
    if (result.lastEndMicros() < toMicros) {
      progress(
          "  WARNING: pgbench's log ends %.1f s before the measured window does (pgbench stopped early? its output:%n%s)",
          (toMicros - result.lastEndMicros()) / 1e6, result.output());
    }
  }

  private static void createDatabase(LiveOptions options) {
    Jdbi admin = Jdbi.create(options.jdbcUrl("postgres"), options.user(), options.password());
    admin.useHandle(
        h -> {
          boolean exists =
              h.createQuery("SELECT COUNT(*) FROM pg_database WHERE datname = :name")
                      .bind("name", options.database())
                      .mapTo(Integer.class)
                      .one()
                  > 0;
          if (!exists) {
            h.execute("CREATE DATABASE " + options.database());
          }
        });
  }

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private static void sleepUntil(long micros, Pgbench.Run run) {
    try {
      long left;
      while ((left = micros - nowMicros()) > 0 && run.isAlive()) {
        Thread.sleep(Math.min(200, Math.max(1, left / 1000)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static void progress(String format, Object... args) {
    System.err.println(String.format(Locale.ROOT, format, args));
  }

  private static void deleteLogs(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
      Files.delete(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
