package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.backfill.BackfillCancelledException;
import dev.datamigrations.runtime.backfill.BackfillKeyException;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.BackfillStateException;
import dev.datamigrations.runtime.backfill.Backfills;
import dev.datamigrations.runtime.backfill.BatchTuning;
import dev.datamigrations.runtime.backfill.HealthCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backfills on a real database, through the public API, asserting database state: every row of the
 * walked table counts how often a batch processed it ({@code hits}), so "every row exactly once" is
 * {@code hits = 1} everywhere. One subclass per database; {@link MultiWorkerBackfillContract} adds
 * the tests of several worker processes, for the databases that have {@code FOR UPDATE SKIP
 * LOCKED}.
 */
abstract class BackfillContract {

  abstract TestDatabase database();

  TestDatabase db;
  Jdbi jdbi;
  String history;
  String items;
  String marker;

  /**
   * Holds an embedded database open between handles; closed before a child JVM opens the same file.
   */
  Handle keeper;

  /** More tables a test created, dropped after it. */
  final List<String> extraTables = new ArrayList<>();

  @BeforeEach
  void createTables() {
    db = database();
    db.assumeReachable();
    jdbi = db.jdbi();
    keeper = jdbi.open();
    String prefix = "bf" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    history = prefix + "_hist";
    items = prefix + "_items";
    marker = prefix + "_marker";
    jdbi.useHandle(
        h -> {
          h.execute(
              "CREATE TABLE " + items + " (id BIGINT NOT NULL PRIMARY KEY, hits INT NOT NULL)");
          h.execute("CREATE TABLE " + marker + " (name VARCHAR(20) NOT NULL)");
        });
  }

  @AfterEach
  void dropTables() {
    if (keeper != null) {
      keeper.close();
    }
    if (jdbi != null) {
      jdbi.useHandle(
          h -> {
            List<String> tables =
                new ArrayList<>(
                    List.of(
                        history,
                        history + "_lock",
                        history + "_progress",
                        history + "_batches",
                        history + "_errors",
                        items,
                        marker));
            tables.addAll(extraTables);
            for (String table : tables) {
              h.execute("DROP TABLE IF EXISTS " + table);
            }
          });
    }
  }

  // ---- helpers

  /**
   * Inserts {@code count} rows with keys 3, 6, 9, ... (gaps, so that batches are key ranges, not
   * counts).
   */
  void insertItems(int count) {
    jdbi.useTransaction(
        h -> {
          var batch = h.prepareBatch("INSERT INTO " + items + " (id, hits) VALUES (?, 0)");
          for (int i = 1; i <= count; i++) {
            batch.add(3L * i);
          }
          batch.execute();
        });
  }

  /** Returns how many rows have each {@code hits} value. */
  Map<Integer, Integer> hits() {
    Map<Integer, Integer> hits = new TreeMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery("SELECT hits, COUNT(*) FROM " + items + " GROUP BY hits")
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getInt(2)))
                .forEach(e -> hits.put(e.getKey(), e.getValue())));
    return hits;
  }

  List<String> markers() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT name FROM " + marker + " ORDER BY name")
                .mapTo(String.class)
                .list());
  }

  BackfillRunnerBuilder configure(BackfillCatalog catalog) {
    return BackfillRunnerBuilder.configure(jdbi, catalog)
        .table(history)
        .lockTimeout(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20));
  }

  MigrationState state(MigrationRunner runner, long version) {
    return runner.status().stream()
        .filter(s -> s.version() == version)
        .findFirst()
        .orElseThrow()
        .state();
  }

  static void waitFor(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  Process startWorker(String verb, long sleepMillis, int batchSize, Path output, Path startFile)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                BackfillWorkerMain.class.getName(),
                db.url(),
                db.user() == null ? "" : db.user(),
                db.password() == null ? "" : db.password(),
                history,
                items,
                marker,
                Long.toString(sleepMillis),
                Integer.toString(batchSize),
                verb));
    if (startFile != null) {
      command.add(startFile.toString());
    }
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
        .start();
  }

  // ---- in one process

  @Test
  void migrateRunsTheBackfillInOrderAndEveryRowOnce() {
    insertItems(1000);
    List<BackfillProgress> reported = new CopyOnWriteArrayList<>();
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    MigrationRunner runner =
        configure(catalog)
            .batchSize(64)
            .progressInterval(Duration.ZERO)
            .listener(
                new BackfillRunnerBuilder.Listener() {
                  @Override
                  public void backfillProgress(
                      MigrationDescriptor backfill, BackfillProgress progress) {
                    reported.add(progress);
                  }
                })
            .build();

    MigrateResult result = runner.migrate();

    assertEquals(List.of(1L, 2L, 3L), result.versions());
    assertEquals(List.of("after", "seed"), markers());
    assertEquals(Map.of(1, 1000), hits());
    assertEquals(16, catalog.batches.get()); // ceil(1000 / 64)
    // Progress: monotonic, and done = total at the end.
    assertFalse(reported.isEmpty());
    for (int i = 1; i < reported.size(); i++) {
      assertTrue(reported.get(i).rowsDone() >= reported.get(i - 1).rowsDone(), reported.toString());
    }
    BackfillProgress last = Backfills.of(runner).progress(BackfillCatalog.FILL).orElseThrow();
    assertEquals(BackfillState.DONE, last.state());
    assertEquals(1000, last.rowsDone());
    assertEquals(1000, last.estimatedTotal());
    assertEquals(16, last.batchesDone());
    assertEquals(Duration.ZERO, last.eta());
    assertEquals(100.0, last.percent());
    assertEquals(last.rowsDone(), reported.get(reported.size() - 1).rowsDone());
    MigrationStatus status = runner.status().get(1);
    assertEquals(MigrationState.APPLIED, status.state());
    assertEquals(BackfillState.DONE, ((BackfillProgress) status.progress()).state());
    assertEquals(List.of(), runner.migrate().executed());
    runner.assertNoPending();
  }

  @Test
  void anEmptyTableIsDoneAtOnce() {
    MigrationRunner runner = configure(new BackfillCatalog(items, marker, 0)).build();
    assertEquals(List.of(1L, 2L, 3L), runner.migrate().versions());
    BackfillProgress progress = Backfills.of(runner).progress(BackfillCatalog.FILL).orElseThrow();
    assertEquals(0, progress.rowsDone());
    assertEquals(0, progress.estimatedTotal());
  }

  @Test
  void theHealthCheckThrottles() {
    insertItems(200);
    AtomicInteger checks = new AtomicInteger();
    List<Duration> waits = new CopyOnWriteArrayList<>();
    HealthCheck stressedThreeTimes =
        handle ->
            checks.incrementAndGet() <= 3
                ? HealthCheck.Status.unhealthy("test says back off")
                : HealthCheck.Status.HEALTHY;
    MigrationRunner runner =
        configure(new BackfillCatalog(items, marker, 0))
            .batchSize(50)
            .healthCheck(stressedThreeTimes, Duration.ofSeconds(1))
            .listener(
                new BackfillRunnerBuilder.Listener() {
                  @Override
                  public void backfillThrottled(
                      MigrationDescriptor backfill, String reason, Duration wait) {
                    assertEquals("test says back off", reason);
                    waits.add(wait);
                  }
                })
            .build();
    runner.migrate();
    // Three back-offs, doubling, before the first batch; then one check per batch (4) and per later
    // loop.
    assertEquals(
        List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400)), waits);
    assertTrue(checks.get() >= 3 + 4, "checks: " + checks.get());
    assertEquals(Map.of(1, 200), hits());
  }

  @Test
  void theTunerKeepsBatchesWithinBounds() {
    insertItems(600);
    MigrationRunner runner =
        configure(new BackfillCatalog(items, marker, 5))
            .batchSize(40)
            .batchTuning(new BatchTuning(Duration.ofMillis(1), 10, 40, 0.5))
            .build();
    runner.migrate();
    List<Long> sizes =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT row_count FROM " + history + "_batches ORDER BY batch_no")
                    .mapTo(Long.class)
                    .list());
    // Slower than the target: the size never grows, reaches the minimum and stays within bounds
    // (the bound on
    // each step is BatchTuningTest's; ranges are handed out a few at a time, so a new size shows a
    // little later).
    assertEquals(40L, sizes.get(0), sizes.toString());
    for (int i = 1; i < sizes.size() - 1; i++) { // the last batch holds whatever keys were left
      assertTrue(sizes.get(i) <= sizes.get(i - 1), sizes.toString());
    }
    assertTrue(sizes.contains(10L), sizes.toString());
    assertTrue(sizes.stream().allMatch(s -> s >= 1 && s <= 40), sizes.toString());
    assertEquals(Map.of(1, 600), hits());
  }

  @Test
  void detachedMigrateLeavesTheBackfillRunningAndAssertNoPendingSaysSo() throws Exception {
    insertItems(500);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 20);
    try (MigrationRunner runner = configure(catalog).batchSize(25).detachBackfills(true).build()) {
      MigrateResult result = runner.migrate();
      Backfills.of(runner).pause(BackfillCatalog.FILL); // hold it still while we look
      assertEquals(List.of(1L), result.versions());
      assertEquals(
          List.of(BackfillCatalog.FILL), result.detached().stream().map(d -> d.version()).toList());
      assertEquals(MigrationState.RUNNING, state(runner, BackfillCatalog.FILL));
      assertEquals(MigrationState.PENDING, state(runner, BackfillCatalog.AFTER));
      PendingMigrationsException pending =
          assertThrows(PendingMigrationsException.class, runner::assertNoPending);
      assertEquals(
          List.of(BackfillCatalog.AFTER),
          pending.pending().stream().map(d -> d.version()).toList());
      assertEquals(
          List.of(BackfillCatalog.FILL), pending.running().stream().map(d -> d.version()).toList());

      Backfills.of(runner).resume(BackfillCatalog.FILL);
      assertTrue(Backfills.of(runner).awaitDetached(Duration.ofSeconds(60)));
      runner.assertNoPending();
      assertEquals(Map.of(1, 500), hits());
      assertEquals(List.of("after", "seed"), markers());
    }
  }

  /**
   * {@code awaitDetached(Duration.ZERO)} asks without waiting: false while the detached run goes
   * on, true once it ended (the console asks it so to let go of the runners whose run ended).
   */
  @Test
  void awaitDetachedWithoutATimeoutSaysWhetherTheDetachedRunEnded() throws Exception {
    insertItems(100);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    try (MigrationRunner runner = configure(catalog).batchSize(10).detachBackfills(true).build()) {
      assertEquals(
          List.of(BackfillCatalog.FILL),
          runner.migrate().detached().stream().map(d -> d.version()).toList());
      Backfills.of(runner).pause(BackfillCatalog.FILL);
      assertFalse(
          Backfills.of(runner).awaitDetached(Duration.ZERO), "a paused detached run has not ended");
      Backfills.of(runner).resume(BackfillCatalog.FILL);
      assertTrue(Backfills.of(runner).awaitDetached(Duration.ofSeconds(60)));
      assertTrue(
          Backfills.of(runner).awaitDetached(Duration.ZERO),
          "the detached run ended: asked without a timeout, awaitDetached must say so");
    }
    assertEquals(Map.of(1, 100), hits());
    assertEquals(List.of("after", "seed"), markers());
  }

  @Test
  void pauseResumeAndCancelInOneProcess() throws Exception {
    insertItems(400);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 10);
    try (MigrationRunner runner = configure(catalog).batchSize(10).detachBackfills(true).build()) {
      runner.migrate();
      // Paused at once (the middle of a run is the cross-process test's): the worker waits, and so
      // does the
      // check that follows.
      assertEquals(BackfillState.PAUSED, Backfills.of(runner).pause(BackfillCatalog.FILL).state());
      awaitNoBatchInFlight(runner); // a batch in flight when it was paused may still commit
      long paused = Backfills.of(runner).progress(BackfillCatalog.FILL).orElseThrow().rowsDone();
      Thread.sleep(300); // the time in which nothing must move: the check, not a wait
      assertEquals(
          paused, Backfills.of(runner).progress(BackfillCatalog.FILL).orElseThrow().rowsDone());
      assertEquals(
          BackfillState.PAUSED,
          Backfills.of(runner).pause(BackfillCatalog.FILL).state()); // idempotent

      assertEquals(
          BackfillState.CANCELLED, Backfills.of(runner).cancel(BackfillCatalog.FILL).state());
      assertTrue(
          Backfills.of(runner).awaitDetached(Duration.ofSeconds(60)),
          "the background worker stops when cancelled");
      assertEquals(MigrationState.CANCELLED, state(runner, BackfillCatalog.FILL));
      assertThrows(BackfillCancelledException.class, runner::migrate);

      Backfills.of(runner).resume(BackfillCatalog.FILL);
    }
    MigrationRunner attached = configure(catalog).batchSize(10).build();
    assertEquals(List.of(2L, 3L), attached.migrate().versions());
    assertEquals(Map.of(1, 400), hits());
  }

  /**
   * {@code batchesInFlight} counts the batch a worker of this process is processing; once it reads
   * 0 after a pause, every batch that started here has committed, and none starts.
   */
  @Test
  void batchesInFlightCountsTheBatchesThisProcessIsProcessing() throws Exception {
    insertItems(300);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    catalog.beforeBatch =
        batch -> {
          if (batch.number() == 2) {
            inside.countDown();
            RunLockContract.await(release);
          }
        };
    try (MigrationRunner runner =
        configure(catalog)
            .batchSize(10)
            .pauseBetweenBatches(Duration.ofMillis(20))
            .detachBackfills(true)
            .build()) {
      assertEquals(0, Backfills.of(runner).batchesInFlight(BackfillCatalog.FILL), "not started");
      runner.migrate();
      assertTrue(inside.await(60, TimeUnit.SECONDS), "batch 2 started");
      assertEquals(1, Backfills.of(runner).batchesInFlight(BackfillCatalog.FILL), "batch 2");
      if (db.name().equals("SQLite")) {
        // A batch holds SQLite's write lock: the pause can only land between batches.
        release.countDown();
        Backfills.of(runner).pause(BackfillCatalog.FILL);
      } else {
        Backfills.of(runner).pause(BackfillCatalog.FILL);
        assertEquals(
            1,
            Backfills.of(runner).batchesInFlight(BackfillCatalog.FILL),
            "a pause lets the batch in flight go on");
        release.countDown();
      }
      awaitNoBatchInFlight(runner);
      BackfillProgress paused = Backfills.of(runner).progress(BackfillCatalog.FILL).orElseThrow();
      assertEquals(
          catalog.batches.get(),
          paused.batchesDone(),
          "every batch that started committed: " + paused);
      Backfills.of(runner).resume(BackfillCatalog.FILL);
      assertTrue(Backfills.of(runner).awaitDetached(Duration.ofSeconds(60)));
      assertEquals(0, Backfills.of(runner).batchesInFlight(BackfillCatalog.FILL), "done");
    }
    assertEquals(Map.of(1, 300), hits());
  }

  /** Waits until no worker of {@code runner} is processing a batch of the backfill. */
  static void awaitNoBatchInFlight(MigrationRunner runner) {
    Awaitility.await("no batch of backfill " + BackfillCatalog.FILL + " in flight")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> Backfills.of(runner).batchesInFlight(BackfillCatalog.FILL) == 0);
  }

  @Test
  void aStartedBackfillCannotBeSkippedMarkedOrBaselined() throws Exception {
    insertItems(400);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 10);
    try (MigrationRunner runner = configure(catalog).batchSize(10).detachBackfills(true).build()) {
      runner.migrate();
      Backfills.of(runner).cancel(BackfillCatalog.FILL);
      assertTrue(Backfills.of(runner).awaitDetached(Duration.ofSeconds(60)));
      assertEquals(MigrationState.CANCELLED, state(runner, BackfillCatalog.FILL));

      HistoryEditRefusedException skip =
          assertThrows(
              HistoryEditRefusedException.class,
              () -> runner.skip(BackfillCatalog.FILL, "too slow"));
      assertTrue(skip.getMessage().contains("backfill that has started"), skip.getMessage());
      assertThrows(
          HistoryEditRefusedException.class,
          () -> runner.markApplied(BackfillCatalog.FILL, "done by hand"));
      assertEquals(MigrationState.CANCELLED, state(runner, BackfillCatalog.FILL));
      Backfills.of(runner).resume(BackfillCatalog.FILL);
    }
    assertEquals(List.of(2L, 3L), configure(catalog).batchSize(10).build().migrate().versions());
    assertEquals(Map.of(1, 400), hits());
  }

  @Test
  void controlVerbsRefuseWhatIsNotARunningBackfill() {
    MigrationRunner runner = configure(new BackfillCatalog(items, marker, 0)).build();
    assertThrows(
        BackfillStateException.class,
        () -> Backfills.of(runner).pause(BackfillCatalog.FILL)); // not started
    assertThrows(
        BackfillStateException.class,
        () -> Backfills.of(runner).pause(BackfillCatalog.SEED)); // not a backfill
    assertThrows(
        BackfillStateException.class, () -> Backfills.of(runner).work(BackfillCatalog.SEED));
    UnknownMigrationVersionException unknown =
        assertThrows(UnknownMigrationVersionException.class, () -> Backfills.of(runner).work(42));
    assertEquals(42L, unknown.version());
    assertEquals(
        List.of(BackfillCatalog.SEED, BackfillCatalog.FILL, BackfillCatalog.AFTER),
        unknown.knownVersions());
    runner.migrate();
    assertThrows(
        BackfillStateException.class,
        () -> Backfills.of(runner).cancel(BackfillCatalog.FILL)); // done
  }

  @Test
  void downRevertsTheBackfillAndForgetsItsBatches() {
    insertItems(100);
    MigrationRunner runner = configure(new BackfillCatalog(items, marker, 0)).batchSize(30).build();
    runner.migrate();
    runner.down(BackfillCatalog.FILL);
    assertEquals(Map.of(0, 100), hits());
    assertTrue(Backfills.of(runner).progress(BackfillCatalog.FILL).isEmpty());
    assertEquals(MigrationState.PENDING, state(runner, BackfillCatalog.FILL));
    assertEquals(List.of(2L), runner.migrate().versions());
    assertEquals(Map.of(1, 100), hits());
  }

  // ---- edges and races (issue 9)

  /** Returns the row counts of the batches handed out, in order. */
  List<Long> batchSizes() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT row_count FROM " + history + "_batches ORDER BY batch_no")
                .mapTo(Long.class)
                .list());
  }

  boolean historyHas(long version) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COUNT(*) FROM " + history + " WHERE version = " + version)
                    .mapTo(Long.class)
                    .one()
                == 1);
  }

  @Test
  void aDoneBackfillWhoseHistoryRowWasDeletedRunsAgainAndEveryVerbEnds() {
    insertItems(100);
    MigrationRunner runner = configure(new BackfillCatalog(items, marker, 0)).batchSize(30).build();
    runner.migrate();
    // Deleted by hand to run it again (or left so by a crash in the middle of an older down).
    jdbi.useHandle(
        h -> {
          h.execute("DELETE FROM " + history + " WHERE version = " + BackfillCatalog.FILL);
          h.execute("UPDATE " + items + " SET hits = 0");
        });

    MigrateResult again =
        assertTimeoutPreemptively(Duration.ofSeconds(60), runner::migrate, "migrate must end");

    assertEquals(List.of(BackfillCatalog.FILL), again.versions());
    assertEquals(Map.of(1, 100), hits());
    assertTrue(historyHas(BackfillCatalog.FILL));
    BackfillProgress progress = Backfills.of(runner).progress(BackfillCatalog.FILL).orElseThrow();
    assertEquals(100, progress.rowsDone());
    assertEquals(4, progress.batchesDone(), "the stale batches were forgotten");

    jdbi.useHandle(
        h -> {
          h.execute("DELETE FROM " + history + " WHERE version = " + BackfillCatalog.FILL);
          h.execute("UPDATE " + items + " SET hits = 0");
        });
    BackfillProgress worked =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () -> Backfills.of(runner).work(BackfillCatalog.FILL),
            "work must not report a stale DONE");
    assertEquals(BackfillState.DONE, worked.state());
    assertEquals(Map.of(1, 100), hits(), "work ran it again");
    assertTrue(historyHas(BackfillCatalog.FILL));
  }

  @Test
  void downForgetsHistoryProgressAndBatchesTogether() {
    insertItems(50);
    MigrationRunner runner = configure(new BackfillCatalog(items, marker, 0)).batchSize(20).build();
    runner.migrate();
    runner.down(BackfillCatalog.FILL);
    assertFalse(historyHas(BackfillCatalog.FILL));
    jdbi.useHandle(
        h -> {
          assertEquals(
              0L,
              h.createQuery("SELECT COUNT(*) FROM " + history + "_progress")
                  .mapTo(Long.class)
                  .one());
          assertEquals(
              0L,
              h.createQuery("SELECT COUNT(*) FROM " + history + "_batches")
                  .mapTo(Long.class)
                  .one());
        });
  }

  @Test
  void aCancelThatLandsAfterTheLastBatchWinsOverDone() throws Exception {
    insertItems(100); // keys 3 to 300: two batches of 50
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    AtomicBoolean lastBatchRan = new AtomicBoolean();
    catalog.beforeBatch = batch -> lastBatchRan.compareAndSet(false, batch.last() == 300);
    CountDownLatch atGate = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // The health check is asked after the last batch committed and before the backfill is marked
    // done: hold the
    // worker there while the cancel lands.
    HealthCheck gate =
        handle -> {
          if (lastBatchRan.get() && atGate.getCount() > 0) {
            atGate.countDown();
            try {
              release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return HealthCheck.Status.HEALTHY;
        };
    MigrationRunner runner = configure(catalog).batchSize(50).healthCheck(gate).build();
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread migrate =
        new Thread(
            () -> {
              try {
                outcome.set(runner.migrate());
              } catch (Throwable t) {
                outcome.set(t);
              }
            });
    migrate.start();
    assertTrue(atGate.await(60, TimeUnit.SECONDS), "the worker reached the gate");

    assertEquals(
        BackfillState.CANCELLED, Backfills.of(runner).cancel(BackfillCatalog.FILL).state());
    release.countDown();
    migrate.join(60_000);

    assertFalse(migrate.isAlive());
    assertInstanceOf(
        BackfillCancelledException.class, outcome.get(), String.valueOf(outcome.get()));
    assertEquals(MigrationState.CANCELLED, state(runner, BackfillCatalog.FILL));
    assertFalse(historyHas(BackfillCatalog.FILL));
    assertEquals(List.of("seed"), markers(), "nothing after the cancelled backfill ran");
    assertThrows(BackfillCancelledException.class, runner::migrate);

    Backfills.of(runner).resume(BackfillCatalog.FILL);
    assertEquals(List.of(BackfillCatalog.FILL, BackfillCatalog.AFTER), runner.migrate().versions());
    assertEquals(Map.of(1, 100), hits());
  }

  @Test
  void keysAtBothEndsOfTheLongRangeAreProcessedOnce() {
    List<Long> keys =
        List.of(
            Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 1L, Long.MAX_VALUE - 1, Long.MAX_VALUE);
    jdbi.useHandle(
        h -> {
          for (long key : keys) {
            h.execute("INSERT INTO " + items + " (id, hits) VALUES (?, 0)", key);
          }
        });
    MigrationRunner runner = configure(new BackfillCatalog(items, marker, 0)).batchSize(1).build();
    runner.migrate();
    assertEquals(Map.of(1, keys.size()), hits());
    assertEquals(
        keys.size(), Backfills.of(runner).progress(BackfillCatalog.FILL).orElseThrow().rowsDone());
    assertEquals(Collections.nCopies(keys.size(), 1L), batchSizes());
  }

  @Test
  void aKeyOfOnlyLongMinValueIsProcessed() {
    jdbi.useHandle(
        h -> h.execute("INSERT INTO " + items + " (id, hits) VALUES (?, 0)", Long.MIN_VALUE));
    configure(new BackfillCatalog(items, marker, 0)).batchSize(3).build().migrate();
    assertEquals(Map.of(1, 1), hits());
  }

  /** Creates a table {@code ddl} names with {@code %s}, and returns its name. */
  String keysTable(String ddl, String... statements) {
    String table = items + "_k" + extraTables.size();
    extraTables.add(table);
    jdbi.useHandle(
        h -> {
          h.execute(String.format(ddl, table));
          for (String statement : statements) {
            h.execute(String.format(statement, table));
          }
        });
    return table;
  }

  void assertKeyRefused(String table, String column, String problem, String fix) {
    MigrationRunner runner = configure(new BackfillCatalog(table, marker, 0, column)).build();
    BackfillKeyException refused =
        assertThrows(BackfillKeyException.class, () -> runner.up(BackfillCatalog.FILL));
    String message = refused.getMessage();
    assertTrue(message.contains(table + "." + column), message);
    assertTrue(message.contains(problem), message);
    assertTrue(message.contains(fix), message);
    assertTrue(message.contains("The backfill was not started."), message);
    assertTrue(Backfills.of(runner).progress(BackfillCatalog.FILL).isEmpty(), "not started");
    assertEquals(MigrationState.PENDING, state(runner, BackfillCatalog.FILL));
  }

  @Test
  void aNullableKeyIsRefusedBeforeTheBackfillStarts() {
    String table =
        keysTable(
            "CREATE TABLE %s (pk BIGINT NOT NULL PRIMARY KEY, k BIGINT, hits INT NOT NULL)",
            "CREATE UNIQUE INDEX %s_uk ON %<s (k)",
            "INSERT INTO %s (pk, k, hits) VALUES (1, NULL, 0)",
            "INSERT INTO %s (pk, k, hits) VALUES (2, 5, 0)");
    assertKeyRefused(table, "k", "accepts NULL", "Declare the column NOT NULL");
  }

  @Test
  void aKeyOfATypeThatCannotBeWalkedIsRefused() {
    assertKeyRefused(
        keysTable("CREATE TABLE %s (d DECIMAL(20, 0) NOT NULL PRIMARY KEY, hits INT NOT NULL)"),
        "d",
        "not an integer, text or UUID column",
        "Walk an integer, text or UUID column");
  }

  @Test
  void aKeyThatIsNotUniqueIsRefused() {
    String table =
        keysTable(
            "CREATE TABLE %s (pk BIGINT NOT NULL PRIMARY KEY, k BIGINT NOT NULL, hits INT NOT NULL)",
            "CREATE INDEX %s_k ON %<s (k)", "CREATE UNIQUE INDEX %s_pair ON %<s (k, pk)");
    assertKeyRefused(
        table, "k", "neither the primary key nor covered by a unique index", "CREATE UNIQUE INDEX");
  }

  @Test
  void aMissingKeyColumnOrTableIsRefused() {
    assertKeyRefused(items, "nope", "does not exist", "Check KeyRange.of(...)");
    MigrationRunner runner = configure(new BackfillCatalog(items + "_absent", marker, 0)).build();
    BackfillKeyException refused =
        assertThrows(BackfillKeyException.class, () -> runner.up(BackfillCatalog.FILL));
    assertTrue(
        refused.getMessage().contains(items + "_absent was not found"), refused.getMessage());
  }

  @Test
  void aUniqueNotNullKeyThatIsNotThePrimaryKeyIsWalked() {
    String table =
        keysTable(
            "CREATE TABLE %s (pk BIGINT NOT NULL PRIMARY KEY, k INTEGER NOT NULL, hits INT NOT NULL)",
            "CREATE UNIQUE INDEX %s_uk ON %<s (k)",
            "INSERT INTO %s (pk, k, hits) VALUES (1, -7, 0)",
            "INSERT INTO %s (pk, k, hits) VALUES (2, 5, 0)",
            "INSERT INTO %s (pk, k, hits) VALUES (3, 9, 0)");
    MigrationRunner runner =
        configure(new BackfillCatalog(table, marker, 0, "k")).batchSize(2).build();
    runner.up(BackfillCatalog.FILL);
    assertEquals(
        List.of(1, 1, 1),
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT hits FROM " + table + " ORDER BY pk")
                    .mapTo(Integer.class)
                    .list()));
  }

  @Test
  void aRestartUsesTheBatchSizeConfiguredNow() {
    insertItems(400);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    MigrationRunner control = configure(catalog).build();
    AtomicInteger checks = new AtomicInteger();
    HealthCheck cancelAtTheThirdBatch =
        handle -> {
          if (checks.incrementAndGet() == 3) {
            Backfills.of(control).cancel(BackfillCatalog.FILL);
          }
          return HealthCheck.Status.HEALTHY;
        };
    MigrationRunner first =
        configure(catalog).batchSize(10).healthCheck(cancelAtTheThirdBatch).build();
    assertThrows(BackfillCancelledException.class, first::migrate);
    List<Long> before = batchSizes();
    assertTrue(before.stream().allMatch(size -> size == 10), before.toString());

    Backfills.of(control).resume(BackfillCatalog.FILL);
    MigrationRunner restarted = configure(catalog).batchSize(50).build();
    restarted.migrate();

    List<Long> after = batchSizes().subList(before.size(), batchSizes().size());
    assertTrue(after.size() >= 2, after.toString());
    for (int i = 0; i < after.size() - 1; i++) { // the last batch holds whatever keys were left
      assertEquals(50L, after.get(i), "sizes after the restart: " + after);
    }
    assertEquals(
        50, Backfills.of(restarted).progress(BackfillCatalog.FILL).orElseThrow().batchSize());
    assertEquals(Map.of(1, 400), hits());
  }

  @Test
  void theTunersFirstBatchIsWithinItsBounds() {
    insertItems(200);
    configure(new BackfillCatalog(items, marker, 0))
        .batchSize(100)
        .batchTuning(new BatchTuning(Duration.ofSeconds(10), 10, 20, 0.5))
        .build()
        .migrate();
    List<Long> sizes = batchSizes();
    assertEquals(20L, sizes.get(0), sizes.toString());
    assertTrue(sizes.stream().allMatch(size -> size <= 20), sizes.toString());
    assertEquals(Map.of(1, 200), hits());
  }

  @Test
  void theEstimateIsTheRowCountWhileItRuns() {
    insertItems(500);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    MigrationRunner control = configure(catalog).build();
    List<Long> estimates = new CopyOnWriteArrayList<>();
    HealthCheck look =
        handle -> {
          estimates.add(
              Backfills.of(control).progress(BackfillCatalog.FILL).orElseThrow().estimatedTotal());
          return HealthCheck.Status.HEALTHY;
        };
    configure(catalog).batchSize(50).healthCheck(look).build().migrate();
    assertFalse(estimates.isEmpty());
    assertTrue(estimates.stream().allMatch(e -> e == 500), estimates.toString());
  }

  @Test
  void aHealthCheckThatThrowsBacksOffAndSaysWhy() {
    insertItems(100);
    AtomicInteger calls = new AtomicInteger();
    List<String> reasons = new CopyOnWriteArrayList<>();
    HealthCheck flaky =
        handle -> {
          if (calls.incrementAndGet() <= 2) {
            throw new IllegalStateException("monitoring is down");
          }
          return HealthCheck.Status.HEALTHY;
        };
    configure(new BackfillCatalog(items, marker, 0))
        .batchSize(50)
        .healthCheck(flaky, Duration.ofMillis(200))
        .listener(
            new BackfillRunnerBuilder.Listener() {
              @Override
              public void backfillThrottled(
                  MigrationDescriptor backfill, String reason, Duration wait) {
                reasons.add(reason);
              }
            })
        .build()
        .migrate();
    assertEquals(2, reasons.size(), reasons.toString());
    assertTrue(
        reasons.stream().allMatch(r -> r.contains("IllegalStateException: monitoring is down")),
        reasons.toString());
    assertEquals(Map.of(1, 100), hits());
  }

  @Test
  void aCancelEndsAWorkerThatIsBackingOff() throws Exception {
    insertItems(100);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    AtomicInteger checks = new AtomicInteger();
    HealthCheck neverHealthy =
        handle -> {
          checks.incrementAndGet();
          return HealthCheck.Status.unhealthy("the database is on fire");
        };
    MigrationRunner runner =
        configure(catalog).batchSize(10).healthCheck(neverHealthy, Duration.ofMillis(200)).build();
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread migrate =
        new Thread(
            () -> {
              try {
                outcome.set(runner.migrate());
              } catch (Throwable t) {
                outcome.set(t);
              }
            });
    migrate.start();
    try {
      waitFor("the worker to back off twice", () -> checks.get() >= 2);
      Backfills.of(runner).cancel(BackfillCatalog.FILL);
      migrate.join(30_000);
      assertFalse(migrate.isAlive(), "a cancelled worker stops backing off and ends");
    } finally {
      runner.close();
    }
    assertInstanceOf(
        BackfillCancelledException.class, outcome.get(), String.valueOf(outcome.get()));
    assertEquals(0, catalog.batches.get(), "no batch ran after the cancel");
    assertEquals(Map.of(0, 100), hits());
  }

  @Test
  void aCancelThatLandsBetweenTwoBatchesStopsTheNextOne() throws Exception {
    insertItems(100);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    AtomicReference<MigrationRunner> steering = new AtomicReference<>();
    AtomicLong batchesBeforeCancel = new AtomicLong(-1);
    // The cancel commits after the worker read RUNNING at the top of its loop and before it claims
    // a batch: the
    // health check is asked in between. It answers healthy, so only the state decides whether a
    // batch runs.
    HealthCheck cancelsAfterTwoBatches =
        handle -> {
          if (catalog.batches.get() == 2 && batchesBeforeCancel.compareAndSet(-1, 2)) {
            Backfills.of(steering.get()).cancel(BackfillCatalog.FILL);
          }
          return HealthCheck.Status.HEALTHY;
        };
    MigrationRunner runner =
        configure(catalog).batchSize(10).healthCheck(cancelsAfterTwoBatches).build();
    steering.set(configure(new BackfillCatalog(items, marker, 0)).build());
    BackfillCancelledException cancelled;
    try {
      cancelled = assertThrows(BackfillCancelledException.class, runner::migrate);
    } finally {
      runner.close();
    }
    // Its two batches committed before the cancel: a cancelled backfill is no refusal ("nothing
    // was changed"), whatever it says of the versions after it.
    assertFalse(
        MigrationRefusedException.class.isInstance(cancelled),
        "BackfillCancelledException after two committed batches claims nothing was changed");
    assertEquals(20, cancelled.progress().rowsDone());
    assertEquals(2, batchesBeforeCancel.get(), "the cancel was issued after two batches");
    assertEquals(2, catalog.batches.get(), "no batch started after cancel() returned");
    assertEquals(Map.of(0, 80, 1, 20), hits());
  }

  @Test
  void aBatchThatCommitsItselfIsRefusedSoThatItsRetryCountsEachRowOnce() {
    insertItems(30);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    AtomicBoolean failedOnce = new AtomicBoolean();
    // A batch that commits its update and then fails: were the COMMIT to run, its rows would count
    // twice once
    // the batch, never marked done, runs again.
    catalog.afterUpdate =
        (handle, batch) -> {
          if (failedOnce.compareAndSet(false, true)) {
            handle.execute("COMMIT");
            throw new IllegalStateException("the batch fails after its COMMIT");
          }
        };
    MigrationRunner runner =
        configure(catalog)
            .batchSize(10)
            .backfills(b -> b.retryBackoff(java.time.Duration.ofMillis(10)))
            .build();
    try {
      // The refused batch rolls back whole, is recorded as a failed attempt, and its retry
      // succeeds.
      runner.migrate();
      var failures =
          Backfills.of(runner).progress(BackfillCatalog.FILL).orElseThrow().recentFailures();
      assertEquals(1, failures.size(), failures.toString());
      assertEquals(CommitRefusedException.class.getName(), failures.get(0).errorClass());
    } finally {
      runner.close();
    }
    assertEquals(Map.of(1, 30), hits(), "every row processed exactly once");
  }

  @Test
  void batchesWaitForAConcurrentWriterInsteadOfFailing() throws Exception {
    insertItems(300);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    // Widen the window between the claim's read and the batch's first write, where another writer
    // lands.
    catalog.beforeBatch = batch -> sleepQuietly(3);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger writes = new AtomicInteger();
    AtomicReference<Throwable> writerFailure = new AtomicReference<>();
    Thread writer =
        new Thread(
            () -> {
              try (Handle handle = jdbi.open()) {
                while (!stop.get()) {
                  handle.execute("INSERT INTO " + marker + " (name) VALUES ('w')");
                  writes.incrementAndGet();
                  sleepQuietly(1);
                }
              } catch (Throwable t) {
                writerFailure.set(t);
              }
            });
    writer.start();
    int before;
    int after;
    try {
      waitFor("the writer to write", () -> writes.get() > 0);
      before = writes.get();
      // Between batches (no transaction open), each batch waits for a write of the writer: the run
      // and the writer interleave however the threads are scheduled.
      AtomicInteger seen = new AtomicInteger(before);
      HealthCheck afterAWrite =
          handle -> {
            Awaitility.await("a write of the writer between batches")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(1))
                .until(() -> writes.get() > seen.get());
            seen.set(writes.get());
            return HealthCheck.Status.HEALTHY;
          };
      configure(catalog).batchSize(5).healthCheck(afterAWrite).build().migrate();
      after = writes.get();
    } finally {
      stop.set(true);
      writer.join(60_000);
    }
    assertNull(writerFailure.get(), () -> "the writer failed: " + writerFailure.get());
    assertTrue(
        after > before, "the writer wrote while the batches ran: " + (after - before) + " writes");
    assertEquals(Map.of(1, 300), hits());
  }

  static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void workersLeavePooledConnectionsAsTheyFoundThem() throws Exception {
    insertItems(100);
    try (ReusingDataSource pool = new ReusingDataSource(db)) {
      int isolation;
      List<String> settings;
      try (var connection = pool.getConnection()) {
        isolation = connection.getTransactionIsolation();
        settings = sessionSettings(connection);
      }
      BackfillRunnerBuilder.configure(pool, new BackfillCatalog(items, marker, 0))
          .table(history)
          .lockTimeout(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .batchSize(10)
          .build()
          .migrate();
      assertEquals(Map.of(1, 100), hits());
      for (var connection : pool.physicalConnections()) {
        assertEquals(
            isolation, connection.getTransactionIsolation(), "isolation of a pooled connection");
        assertTrue(connection.getAutoCommit(), "auto-commit of a pooled connection");
        assertEquals(settings, sessionSettings(connection), "settings of a pooled connection");
      }
    }
  }

  /** Queries of one session setting each that a worker must leave as it found them. */
  List<String> sessionSettingsQueries() {
    return List.of();
  }

  private List<String> sessionSettings(java.sql.Connection connection) throws Exception {
    List<String> values = new ArrayList<>();
    for (String sql : sessionSettingsQueries()) {
      try (var statement = connection.createStatement();
          var rows = statement.executeQuery(sql)) {
        rows.next();
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  // ---- across processes

  @Test
  void killedWorkersResumeWithoutRepeatingOrSkippingABatch() throws Exception {
    insertItems(3000);
    keeper.close();
    Path output = Files.createTempFile("datamigrations-backfill", ".log");
    Random random = new Random(42);
    int kills = 0;
    boolean finished = false;
    for (int round = 0; round < 15 && !finished; round++) {
      Process child = startWorker("migrate", 8, 20, output, null);
      // JVM start and connect take a few hundred ms; kill somewhere in the backfill's 150 batches.
      if (child.waitFor(300 + random.nextInt(900), TimeUnit.MILLISECONDS)) {
        finished = child.exitValue() == 0;
        assertTrue(finished, "child failed:\n" + Files.readString(output, StandardCharsets.UTF_8));
      } else {
        child.destroyForcibly().waitFor();
        kills++;
      }
    }
    String log = Files.readString(output, StandardCharsets.UTF_8);
    Files.delete(output);
    assertTrue(kills >= 5, "only " + kills + " kills:\n" + log);

    MigrationRunner runner = configure(new BackfillCatalog(items, marker, 0)).batchSize(20).build();
    runner.migrate();
    assertEquals(Map.of(1, 3000), hits(), "every row exactly once after " + kills + " kills");
    BackfillProgress progress = Backfills.of(runner).progress(BackfillCatalog.FILL).orElseThrow();
    assertEquals(3000, progress.rowsDone());
    assertEquals(List.of("after", "seed"), markers());
  }

  // ---- a failure after partial success (issue 9, item 9)

  @Test
  void aLockTimeoutAfterAMigrationAndABackfillSaysWhatWasApplied() throws Exception {
    insertItems(10);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // Another runner of the same code, whose migration 3 waits: it holds the run lock while it
    // does.
    MigrationCatalog slowAfter =
        new MigrationCatalog() {
          @Override
          public List<MigrationDescriptor> descriptors() {
            return catalog.descriptors();
          }

          @Override
          public Migration instantiate(int index) {
            if (index != 2) {
              return catalog.instantiate(index);
            }
            return handle -> {
              holding.countDown();
              try {
                assertTrue(release.await(60, TimeUnit.SECONDS));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              catalog.instantiate(2).up(handle);
            };
          }
        };
    MigrationRunner other =
        BackfillRunnerBuilder.configure(db.jdbi(), slowAfter)
            .table(history)
            .lockTimeout(Duration.ofSeconds(60))
            .build();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    List<Future<MigrateResult>> holder = new CopyOnWriteArrayList<>();
    MigrationListener startOtherBetweenPhases =
        new BackfillRunnerBuilder.Listener() {
          @Override
          public void succeeded(MigrationExecution execution) {
            if (execution.migration().version() == BackfillCatalog.FILL) {
              // Between the backfill and the phase that runs 3: the other runner takes the lock
              // first.
              holder.add(pool.submit(other::migrate));
              try {
                assertTrue(
                    holding.await(60, TimeUnit.SECONDS), "the other runner never took the lock");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
        };
    try {
      MigrationRunner runner =
          configure(catalog)
              .listener(startOtherBetweenPhases)
              .lockTimeout(Duration.ofMillis(300))
              .build();

      MigrationLockException timeout = assertThrows(MigrationLockException.class, runner::migrate);

      assertEquals(
          List.of(BackfillCatalog.SEED, BackfillCatalog.FILL),
          timeout.completedBefore().stream().map(e -> e.migration().version()).toList());
      String message = timeout.getMessage();
      assertTrue(
          message.contains(
              "Before this failure, this run applied 2 data migrations, which stay applied: 1 (Seed, test.Seed),"
                  + " 2 (Fill hits, test.FillHits)."),
          message);
      assertFalse(message.toLowerCase(java.util.Locale.ROOT).contains("nothing was"), message);
      assertEquals(Map.of(1, 10), hits());
      assertEquals(List.of("seed"), markers());
    } finally {
      release.countDown();
    }
    assertEquals(
        List.of(BackfillCatalog.AFTER), holder.get(0).get(60, TimeUnit.SECONDS).versions());
    pool.shutdownNow();
    assertEquals(List.of("after", "seed"), markers());
  }
}
