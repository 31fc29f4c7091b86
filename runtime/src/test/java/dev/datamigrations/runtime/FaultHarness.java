package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The fault-injection loop shared by every kind of kill: for each verb, {@value
 * #DEFAULT_ITERATIONS} iterations (system property {@code faults.iterations}) that each start from
 * a fresh set of tables, kill the verb's run at a step drawn from a seeded {@link Random} (or,
 * every tenth iteration, after a random time), check the invariants that must hold right after the
 * kill, run the verb again in this JVM bounded by a deadline, and check that recovery reached
 * exactly the state the verb promises.
 *
 * <p>Kill points are random but covering: iteration {@code i} of {@code N} kills at a step drawn
 * from the {@code i}-th of {@code N} equal slices of the verb's steps (counted by {@link
 * CountingDataSource} in a calibration run), so the kills land between every pair of consecutive
 * steps once {@code N} is at least the number of steps.
 *
 * <p>The six loops of a class run two at a time ({@code junit-platform.properties}): they mostly
 * wait on child JVMs and the database. Classes still run one after the other, so no other test
 * shares the machine with them.
 *
 * <p>System properties: {@code faults.seed} (the seed, printed by every run, to reproduce one),
 * {@code faults.iterations}, {@code faults.lockTimeoutMillis} (the runners' lock timeout, default
 * 3000), {@code faults.deadlineMillis} (how long a run may take before it counts as hung or
 * spinning, default the lock timeout plus 7 s), {@code faults.maxFailures} (a verb's loop stops
 * after that many failed iterations, default 3, so that a run that spins costs minutes, not hours).
 */
abstract class FaultHarness {
  static final int DEFAULT_ITERATIONS = 50;
  static final int ITERATIONS = Integer.getInteger("faults.iterations", DEFAULT_ITERATIONS);
  static final long SEED = Long.getLong("faults.seed", new Random().nextLong());
  static final Duration LOCK_TIMEOUT =
      Duration.ofMillis(Long.getLong("faults.lockTimeoutMillis", 3000));
  static final Duration DEADLINE =
      Duration.ofMillis(Long.getLong("faults.deadlineMillis", LOCK_TIMEOUT.toMillis() + 7_000));
  static final int MAX_FAILURES = Integer.getInteger("faults.maxFailures", 3);

  /** Every TIMED_EVERY-th iteration kills after a random time instead of at a counted step. */
  static final int TIMED_EVERY = 10;

  /** Loop time per database and kind of kill, summed over the loops (which overlap). */
  private static final Map<String, Long> TOTAL_MILLIS =
      new java.util.concurrent.ConcurrentHashMap<>();

  TestDatabase db;
  Jdbi plain;

  /**
   * Milliseconds spent per phase of the current loop: set-up, kill, recovery and checks, clean-up.
   */
  private final long[] phases = new long[4];

  /** Returns the database of the subclass. */
  abstract TestDatabase database();

  /** Names the kind of kill, for the output. */
  abstract String kind();

  /**
   * Runs {@code verb} on {@code tables} and kills it before step {@code killAt}, or, if {@code
   * killAt} is -1, after {@code delayMillis}; returns when the killed run is gone.
   */
  abstract Kill inflict(
      FaultVerb verb,
      long target,
      FaultCatalog.Tables tables,
      long killAt,
      long delayMillis,
      boolean viaJdbi)
      throws Exception;

  /**
   * What a kill hit.
   *
   * @param where the step the run was killed before, or the time it was killed at, or that it
   *     finished first
   * @param problem what went wrong with the killed run itself (it hung, or failed without a fault),
   *     or null
   */
  record Kill(String where, String problem) {}

  /**
   * Returns a runner of the fault catalog on {@code tables}, the same in the child and in this JVM.
   */
  static MigrationRunner runner(
      DataSource dataSource, boolean viaJdbi, FaultCatalog.Tables tables, Duration lockTimeout) {
    FaultCatalog catalog = new FaultCatalog(tables);
    BackfillRunnerBuilder builder =
        viaJdbi
            ? BackfillRunnerBuilder.configure(Jdbi.create(dataSource), catalog)
            : BackfillRunnerBuilder.configure(dataSource, catalog);
    return builder
        .table(tables.history())
        .batchSize(FaultCatalog.BATCH_SIZE)
        .lockTimeout(lockTimeout)
        .pollInterval(Duration.ofMillis(20))
        .progressInterval(Duration.ofHours(1))
        .build();
  }

  @BeforeEach
  void reachable() {
    db = database();
    db.assumeReachable();
    plain = db.jdbi();
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void migrate() throws Exception {
    loop(FaultVerb.MIGRATE);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void up() throws Exception {
    loop(FaultVerb.UP);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void down() throws Exception {
    loop(FaultVerb.DOWN);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void rollback() throws Exception {
    loop(FaultVerb.ROLLBACK);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void backfillBatches() throws Exception {
    loop(FaultVerb.BACKFILL);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void backfillDown() throws Exception {
    loop(FaultVerb.BACKFILL_DOWN);
  }

  /** A calibration run's step count and duration, for one verb and target. */
  private record Calibration(long steps, long millis) {}

  private void loop(FaultVerb verb) throws Exception {
    long seed = SEED ^ ((verb.ordinal() + 1) * 0x9E3779B97F4A7C15L);
    String label = db + " " + kind() + " " + verb;
    long started = System.nanoTime();
    java.util.Arrays.fill(phases, 0);
    Map<Long, Calibration> calibrations = new HashMap<>();
    Random random = new Random(seed);
    List<String> failures = new ArrayList<>();
    int killed = 0;
    int timed = 0;
    int iteration = 0;
    for (; iteration < ITERATIONS && failures.size() < MAX_FAILURES; iteration++) {
      long target = verb.target(iteration);
      Calibration calibration = calibrations.get(target);
      if (calibration == null) {
        calibration = calibrate(verb, target);
        calibrations.put(target, calibration);
      }
      double slice = (iteration + random.nextDouble()) / ITERATIONS;
      boolean byTime = iteration % TIMED_EVERY == TIMED_EVERY - 1;
      long killAt = byTime ? -1 : 1 + (long) (slice * calibration.steps());
      long delay = byTime ? (long) (slice * (3 * calibration.millis() + 20)) : 0;
      boolean viaJdbi = iteration % 2 == 1;
      String failure = iterate(verb, target, killAt, delay, viaJdbi);
      if (byTime) {
        timed++;
      } else {
        killed++;
      }
      if (failure != null) {
        String reproduce =
            label
                + " iteration "
                + iteration
                + " (seed "
                + SEED
                + ", -Dfaults.seed="
                + SEED
                + " -Dfaults.iterations="
                + ITERATIONS
                + "), target "
                + target
                + ", "
                + (viaJdbi ? "configure(Jdbi)" : "configure(DataSource)")
                + ", "
                + (byTime
                    ? "killed after " + delay + " ms"
                    : "kill point " + killAt + " of " + calibration.steps());
        failures.add(reproduce + ": " + failure);
        System.out.println("[faults] FAILED " + reproduce + ": " + failure);
      }
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    long total = TOTAL_MILLIS.merge(db + " " + kind(), millis, Long::sum);
    System.out.printf(
        Locale.ROOT,
        "[faults] %s: %d iterations (%d at counted steps, %d timed), steps %s, seed %d, %d failed, %.1f s"
            + " (set-up %.1f s, kill %.1f s, recovery and checks %.1f s, clean-up %.1f s)%n",
        label,
        iteration,
        killed,
        timed,
        calibrations,
        SEED,
        failures.size(),
        millis / 1000.0,
        phases[0] / 1000.0,
        phases[1] / 1000.0,
        phases[2] / 1000.0,
        phases[3] / 1000.0);
    System.out.printf(
        Locale.ROOT,
        "[faults] %s %s: %.1f s of loops so far (loops run two at a time)%n",
        db,
        kind(),
        total / 1000.0);
    assertTrue(
        failures.isEmpty(),
        failures.size()
            + " of "
            + iteration
            + " iterations of "
            + label
            + " broke an invariant"
            + (failures.size() >= MAX_FAILURES ? " (stopped after " + MAX_FAILURES + ")" : "")
            + ":\n"
            + String.join("\n", failures));
  }

  /**
   * Runs the verb once without a fault, counting its steps; checks that it reaches its end state.
   */
  private Calibration calibrate(FaultVerb verb, long target) {
    FaultCatalog.Tables tables = freshTables();
    try {
      verb.prepare(runner(db.dataSource(), false, tables, LOCK_TIMEOUT));
      CountingDataSource counting = new CountingDataSource(db, null, (n, c, id, step) -> {});
      long start = System.nanoTime();
      verb.act(runner(counting, false, tables, LOCK_TIMEOUT), target);
      long millis = (System.nanoTime() - start) / 1_000_000;
      MigrationRunner again = runner(db.dataSource(), false, tables, LOCK_TIMEOUT);
      verb.recover(again, target, FaultState.read(plain, tables).history());
      List<String> wrong = FaultState.read(plain, tables).finalViolations(verb.expected(target));
      assertTrue(wrong.isEmpty(), verb + " without a fault did not reach its end state: " + wrong);
      return new Calibration(counting.steps(), millis);
    } finally {
      drop(tables);
    }
  }

  /** Runs one iteration; returns what went wrong, with the database's state, or null. */
  private String iterate(FaultVerb verb, long target, long killAt, long delay, boolean viaJdbi)
      throws Exception {
    long t0 = System.nanoTime();
    Handle keeper = keepOpen();
    FaultCatalog.Tables tables = freshTables();
    try {
      verb.prepare(runner(db.dataSource(), false, tables, LOCK_TIMEOUT));
      if (keeper != null) {
        keeper.close(); // the child opens the embedded database's file
      }
      long t1 = System.nanoTime();
      phases[0] += (t1 - t0) / 1_000_000;
      Kill kill = inflict(verb, target, tables, killAt, delay, viaJdbi);
      keeper = keepOpen();
      t0 = System.nanoTime();
      phases[1] += (t0 - t1) / 1_000_000;
      List<String> problems = new ArrayList<>();
      if (kill.problem() != null) {
        problems.add(kill.problem());
      }
      FaultState afterKill = FaultState.read(plain, tables);
      afterKill
          .consistencyViolations(verb.upward)
          .forEach(v -> problems.add("right after the kill: " + v));
      MigrationRunner again = runner(db.dataSource(), false, tables, LOCK_TIMEOUT);
      String recovery =
          withDeadline(
              again,
              () -> verb.recover(again, target, afterKill.history()),
              "running " + verb + " again");
      if (recovery != null) {
        problems.add(recovery);
      }
      FaultState end = FaultState.read(plain, tables);
      phases[2] += (System.nanoTime() - t0) / 1_000_000;
      end.finalViolations(verb.expected(target))
          .forEach(v -> problems.add("after running it again: " + v));
      if (problems.isEmpty()) {
        return null;
      }
      return "killed "
          + kill.where()
          + "\n  "
          + String.join("\n  ", problems)
          + "\n  state right after the kill:\n"
          + afterKill.dump()
          + "  state after running it again:\n"
          + end.dump();
    } finally {
      long t2 = System.nanoTime();
      drop(tables);
      phases[3] += (System.nanoTime() - t2) / 1_000_000;
      if (keeper != null) {
        keeper.close();
      }
    }
  }

  /**
   * Returns a connection that keeps an embedded H2 database open while this JVM works on it (else
   * every handle opens and closes the file), or null for other databases. Closed before a child JVM
   * opens the file.
   */
  private Handle keepOpen() {
    return db.url().startsWith("jdbc:h2:") ? plain.open() : null;
  }

  /**
   * Runs {@code work} on a thread of its own; returns null if it ended within {@link #DEADLINE},
   * else what went wrong. A run that outlives the deadline is stopped with {@link
   * MigrationRunner#close()} (which stops backfill loops) and an interrupt.
   */
  static String withDeadline(MigrationRunner runner, Runnable work, String what)
      throws InterruptedException {
    FutureTask<Void> task = new FutureTask<>(work, null);
    Thread thread = new Thread(task, "fault-run");
    thread.setDaemon(true);
    long start = System.nanoTime();
    thread.start();
    try {
      task.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      return what + " failed: " + e.getCause();
    } catch (TimeoutException e) {
      runner.close();
      thread.interrupt();
      thread.join(10_000);
      return what
          + " did not end within "
          + DEADLINE.toMillis()
          + " ms (lock timeout "
          + LOCK_TIMEOUT.toMillis()
          + " ms): it hangs or spins"
          + (thread.isAlive() ? ", and could not be stopped" : "")
          + "; ran "
          + (System.nanoTime() - start) / 1_000_000
          + " ms";
    }
  }

  FaultCatalog.Tables freshTables() {
    String prefix =
        "f" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL) + "_";
    FaultCatalog.Tables tables = new FaultCatalog.Tables(prefix);
    try (Handle handle = plain.open()) {
      tables.create(handle);
    }
    return tables;
  }

  void drop(FaultCatalog.Tables tables) {
    try (Handle handle = plain.open()) {
      for (String table : tables.all()) {
        handle.execute("DROP TABLE IF EXISTS " + table);
      }
    }
  }
}
