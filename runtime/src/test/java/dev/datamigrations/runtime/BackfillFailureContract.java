package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.BackfillCancelledException;
import dev.datamigrations.runtime.backfill.BackfillFailedException;
import dev.datamigrations.runtime.backfill.BackfillListener;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.Backfills;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.BatchFailure;
import dev.datamigrations.runtime.backfill.Key;
import dev.datamigrations.runtime.backfill.KeyRange;
import dev.datamigrations.runtime.backfill.LockWaitThrottle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failed batches, the FAILED state, finalize, sub-batches and the lock-wait throttle (issue 13), on
 * a real database through the public API. As in {@link BackfillContract}, every row of the walked
 * table counts how often a committed batch processed it ({@code hits}): "every row exactly once" is
 * {@code hits = 1} everywhere. Items have keys 3, 6, 9, ...; batches of 10 keys, so batch 2 is keys
 * 33 to 60.
 */
abstract class BackfillFailureContract {

  abstract TestDatabase database();

  /**
   * Returns a statement that sleeps in the database for {@code seconds}, or null where a statement
   * timeout cannot cancel one (the timeout tests then skip).
   */
  String sleepSql(double seconds) {
    return null;
  }

  /**
   * Returns a statement that runs until a statement timeout cancels it (bounded: it ends on its own
   * within a minute), or null where none does (the timeout tests over other keys then skip).
   */
  String runUntilCancelledSql() {
    return sleepSql(30);
  }

  /**
   * Returns a condition true for every row that takes about {@code seconds} per row it is evaluated
   * on, or null where the database has no sleep to put in a condition (the test then skips).
   */
  String slowFilterSql(double seconds) {
    return null;
  }

  /**
   * Returns a query of one number: how many sessions wait for a row lock now, or null where the
   * throttle does not exist here (its tests then check the refusal).
   */
  String sessionsWaitingForALockSql() {
    return null;
  }

  TestDatabase db;
  Jdbi jdbi;
  String history;
  String items;
  String marker;
  Handle keeper;
  final List<String> otherTables = new CopyOnWriteArrayList<>();

  @BeforeEach
  void createTables() {
    db = database();
    db.assumeReachable();
    jdbi = db.jdbi();
    keeper = jdbi.open();
    String prefix = "bff" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
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
            for (String suffix : List.of("", "_lock", "_progress", "_batches", "_errors")) {
              h.execute("DROP TABLE IF EXISTS " + history + suffix);
            }
            h.execute("DROP TABLE IF EXISTS " + items);
            h.execute("DROP TABLE IF EXISTS " + marker);
            for (String table : otherTables) {
              h.execute("DROP TABLE IF EXISTS " + table);
            }
          });
    }
  }

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

  Map<Integer, Integer> hits() {
    Map<Integer, Integer> hits = new TreeMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery("SELECT hits, COUNT(*) FROM " + items + " GROUP BY hits")
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getInt(2)))
                .forEach(e -> hits.put(e.getKey(), e.getValue())));
    return hits;
  }

  int hitsOf(long from, long to) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT COALESCE(SUM(hits), 0) FROM " + items + " WHERE id BETWEEN :a AND :b")
                .bind("a", from)
                .bind("b", to)
                .mapTo(Integer.class)
                .one());
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
        .pollInterval(Duration.ofMillis(20))
        .batchSize(10)
        .backfills(b -> b.retryBackoff(Duration.ofMillis(10)));
  }

  MigrationState state(MigrationRunner runner) {
    return runner.status().stream()
        .filter(s -> s.version() == BackfillCatalog.FILL)
        .findFirst()
        .orElseThrow()
        .state();
  }

  BackfillProgress progress(MigrationRunner runner) {
    return Backfills.of(runner).progress(BackfillCatalog.FILL).orElseThrow();
  }

  /** Makes batches whose first key is {@code first} throw after their update, while {@code on}. */
  static void failBatchesFrom(
      BackfillCatalog catalog, long first, AtomicBoolean on, Map<Long, Integer> attempts) {
    catalog.afterUpdate =
        (handle, batch) -> {
          attempts.merge(batch.number(), 1, Integer::sum);
          if (on.get() && batch.first() >= first) {
            throw new IllegalStateException("no total for batch " + batch.number());
          }
        };
  }

  // ---- failed batches

  @Test
  void aBatchThatFailsTwiceThenSucceedsIsRecordedAndEveryRowIsProcessedOnce() {
    insertItems(60);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    Map<Long, Integer> attempts = new ConcurrentHashMap<>();
    catalog.afterUpdate =
        (handle, batch) -> {
          // After its update: a batch that were not rolled back would count its rows twice.
          if (batch.number() == 2 && attempts.merge(2L, 1, Integer::sum) <= 2) {
            throw new IllegalStateException("flaky: password=hunter22 attempt " + attempts.get(2L));
          }
        };
    List<BatchFailure> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    BackfillListener listener =
        new BackfillListener() {
          @Override
          public void backfillBatchFailed(MigrationDescriptor backfill, BatchFailure failure) {
            heard.add(failure);
          }
        };
    MigrationRunner runner = configure(catalog).backfills(b -> b.listener(listener)).build();

    runner.migrate();

    assertEquals(Map.of(1, 60), hits(), "every row exactly once");
    assertEquals(3, attempts.get(2L), "batch 2 was attempted three times");
    assertEquals(List.of("after", "seed"), markers());
    BackfillProgress progress = progress(runner);
    assertEquals(BackfillState.DONE, progress.state());
    List<BatchFailure> failures = progress.recentFailures();
    assertEquals(2, failures.size(), failures.toString());
    BatchFailure last = failures.get(0);
    assertEquals(2, last.batchNumber());
    assertEquals(2, last.attempt());
    assertEquals(1, failures.get(1).attempt());
    assertEquals("33 to 60", last.keys());
    assertEquals(IllegalStateException.class.getName(), last.errorClass());
    assertEquals("flaky: password=*** attempt 2", last.message(), "the message is redacted");
    assertTrue(last.stackTrace().contains("BackfillFailureContract"), last.stackTrace());
    assertTrue(last.stackTrace().length() <= 4000);
    assertTrue(last.worker().contains(":"), last.worker());
    assertEquals("attempt 2 of 3, retried after 20 ms", last.outcome());
    assertEquals("attempt 1 of 3, retried after 10 ms", failures.get(1).outcome());
    // The listener heard each attempt as it was recorded, oldest first (metrics count them).
    assertEquals(List.of(failures.get(1), failures.get(0)), heard);
  }

  @Test
  void aListenerThatThrowsOnAFailedBatchChangesNothingRecordedAndTheBatchIsRetried() {
    insertItems(60);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    Map<Long, Integer> attempts = new ConcurrentHashMap<>();
    catalog.afterUpdate =
        (handle, batch) -> {
          if (batch.number() == 2 && attempts.merge(2L, 1, Integer::sum) == 1) {
            throw new IllegalStateException("flaky once");
          }
        };
    BackfillListener listener =
        new BackfillListener() {
          @Override
          public void backfillBatchFailed(MigrationDescriptor backfill, BatchFailure failure) {
            throw new IllegalStateException("metrics are down");
          }
        };
    MigrationRunner runner = configure(catalog).backfills(b -> b.listener(listener)).build();

    runner.migrate();

    assertEquals(Map.of(1, 60), hits(), "every row exactly once");
    assertEquals(2, attempts.get(2L), "batch 2 was attempted again");
    BackfillProgress progress = progress(runner);
    assertEquals(BackfillState.DONE, progress.state());
    assertEquals(1, progress.recentFailures().size(), progress.recentFailures().toString());
  }

  @Test
  void aBatchThatAlwaysFailsFailsTheBackfillWhichStatusShowsAndMigrateRefuses() {
    insertItems(60);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    AtomicBoolean broken = new AtomicBoolean(true);
    Map<Long, Integer> attempts = new ConcurrentHashMap<>();
    // Only batch 2 (keys 33 to 60) fails.
    catalog.afterUpdate =
        (handle, batch) -> {
          attempts.merge(batch.number(), 1, Integer::sum);
          if (broken.get() && batch.first() == 33) {
            throw new IllegalStateException("no total for batch " + batch.number());
          }
        };
    MigrationRunner runner = configure(catalog).build();

    BackfillFailedException failure = assertThrows(BackfillFailedException.class, runner::migrate);

    assertEquals(3, attempts.get(2L), "three attempts, then the backfill failed");
    assertTrue(
        failure
            .getMessage()
            .contains(
                "last failure batch 2 (keys 33 to 60), attempt 3: java.lang.IllegalStateException:"
                    + " no total for batch 2; its last attempt (3 of 3): the backfill failed"),
        failure.getMessage());
    assertTrue(failure.getMessage().contains("resume 2"), failure.getMessage());
    assertEquals(BackfillState.FAILED, failure.progress().state());
    assertEquals(MigrationState.FAILED, state(runner));
    assertEquals(0, hitsOf(33, 60), "the failed batch left nothing behind");
    assertEquals(List.of("seed"), markers(), "nothing after the backfill ran");
    assertTrue(hits().keySet().stream().allMatch(h -> h <= 1), hits().toString());

    PendingMigrationsException pending =
        assertThrows(PendingMigrationsException.class, runner::assertNoPending);
    assertTrue(pending.getMessage().contains("finalize VERSION"), pending.getMessage());

    long before = catalog.batches.get();
    BackfillFailedException again = assertThrows(BackfillFailedException.class, runner::migrate);
    assertEquals(before, catalog.batches.get(), "a failed backfill is refused, not run");
    assertTrue(again.completedBefore().isEmpty());
    assertThrows(
        BackfillFailedException.class,
        () -> Backfills.of(runner).ensureFinished(BackfillCatalog.FILL));

    // The fix, then resume: it goes on where it stopped, the failed batch with its attempts reset.
    broken.set(false);
    BackfillProgress resumed = Backfills.of(runner).resume(BackfillCatalog.FILL);
    assertEquals(BackfillState.RUNNING, resumed.state());
    assertEquals(List.of(), resumed.recentFailures(), "a resume clears the failures it shows");
    runner.migrate();
    assertEquals(Map.of(1, 60), hits(), "every row exactly once");
    assertEquals(List.of("after", "seed"), markers());
    assertEquals(MigrationState.APPLIED, state(runner));
    int recorded =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT COUNT(*) FROM " + history + "_errors")
                    .mapTo(Integer.class)
                    .one());
    assertEquals(3, recorded, "the three failures stay recorded after the resume");
  }

  @Test
  void moreThanHalfOfTheRecentAttemptsFailingFailsTheBackfillBeforeItsBatchesRunOutOfAttempts() {
    insertItems(200);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    Map<Long, Integer> attempts = new ConcurrentHashMap<>();
    // Batches 1 to 3 (keys 3 to 90) succeed; every batch after them fails.
    failBatchesFrom(catalog, 93, new AtomicBoolean(true), attempts);
    MigrationRunner runner =
        configure(catalog)
            .backfills(b -> b.maxAttempts(100).failureWindow(6).retryBackoff(Duration.ofMillis(1)))
            .build();

    BackfillFailedException failure = assertThrows(BackfillFailedException.class, runner::migrate);

    // S S S F F F: 3 of 6, not more than half; the fourth failure makes 4 of the last 6.
    int failed =
        attempts.entrySet().stream().filter(e -> e.getKey() > 3).mapToInt(e -> e.getValue()).sum();
    assertEquals(4, failed, attempts.toString());
    assertEquals(
        "4 of the last 6 batch attempts failed: the backfill failed",
        failure.progress().recentFailures().get(0).outcome());
    assertEquals(MigrationState.FAILED, state(runner));
    assertEquals(30, hitsOf(3, 90));
    assertEquals(0, hitsOf(93, 600));
  }

  @Test
  void aResumedBackfillIsDoneByFinalizeAndCancelledOrFailedOnesAreRefused() {
    insertItems(60);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    AtomicBoolean broken = new AtomicBoolean(true);
    failBatchesFrom(catalog, 33, broken, new ConcurrentHashMap<>());
    MigrationRunner runner = configure(catalog).backfills(b -> b.maxAttempts(1)).build();
    assertThrows(BackfillFailedException.class, runner::migrate);

    Backfills.of(runner).cancel(BackfillCatalog.FILL);
    assertThrows(
        BackfillCancelledException.class,
        () -> Backfills.of(runner).ensureFinished(BackfillCatalog.FILL));
    broken.set(false);
    Backfills.of(runner).resume(BackfillCatalog.FILL);

    Backfills.of(runner).ensureFinished(BackfillCatalog.FILL);

    assertEquals(Map.of(1, 60), hits());
    assertEquals(MigrationState.APPLIED, state(runner));
    assertEquals(BackfillState.DONE, progress(runner).state());
    Backfills.of(runner).ensureFinished(BackfillCatalog.FILL); // applied: returns at once
    assertEquals(Map.of(1, 60), hits());
  }

  @Test
  void finalizeStartsAPendingBackfillAndResumesAPausedOne() throws Exception {
    insertItems(60);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    MigrationRunner first = configure(catalog).build();
    // Pending: only the backfill runs (like up VERSION), to the end, in this thread.
    first.up(BackfillCatalog.SEED);
    Backfills.of(first).ensureFinished(BackfillCatalog.FILL);
    assertEquals(Map.of(1, 60), hits());
    assertEquals(MigrationState.APPLIED, state(first));
    assertEquals(MigrationState.PENDING, first.status().get(2).state());

    // Paused with no worker left: finalize resumes it and finishes it.
    first.down(BackfillCatalog.FILL);
    jdbi.useHandle(h -> h.execute("UPDATE " + items + " SET hits = 0"));
    BackfillCatalog pausing = new BackfillCatalog(items, marker, 0);
    AtomicReference<MigrationRunner> self = new AtomicReference<>();
    java.util.concurrent.atomic.AtomicInteger checks =
        new java.util.concurrent.atomic.AtomicInteger();
    MigrationRunner paused =
        configure(pausing)
            .healthCheck(
                handle -> {
                  // Asked before each batch (and hand-out), outside its transaction: pause midway.
                  if (checks.incrementAndGet() == 4) {
                    Backfills.of(self.get()).pause(BackfillCatalog.FILL);
                  }
                  return dev.datamigrations.runtime.backfill.HealthCheck.Status.HEALTHY;
                })
            .build();
    self.set(paused);
    Thread worker =
        new Thread(
            () -> {
              try {
                Backfills.of(paused).work(BackfillCatalog.FILL);
              } catch (RuntimeException e) {
                // closed while paused: stopped
              }
            });
    worker.start();
    BackfillContract.waitFor(
        "the pause",
        () ->
            Backfills.of(paused)
                .progress(BackfillCatalog.FILL)
                .map(p -> p.state() == BackfillState.PAUSED)
                .orElse(false));
    paused.close();
    worker.join(60_000);
    assertFalse(worker.isAlive());
    long doneWhenPaused = progress(paused).batchesDone();
    assertTrue(doneWhenPaused > 0 && doneWhenPaused < 6, "paused midway: " + doneWhenPaused);

    Backfills.of(configure(pausing).build()).ensureFinished(BackfillCatalog.FILL);

    assertEquals(Map.of(1, 60), hits());
    assertEquals(BackfillState.DONE, progress(first).state());
  }

  // ---- hostile failures (the adversarial review of issue 13)

  /** Makes the first attempt of batch 2 throw {@code failure}; later attempts succeed. */
  static Map<Long, Integer> failBatchTwoOnceWith(
      BackfillCatalog catalog, java.util.function.Supplier<RuntimeException> failure) {
    Map<Long, Integer> attempts = new ConcurrentHashMap<>();
    catalog.afterUpdate =
        (handle, batch) -> {
          if (attempts.merge(batch.number(), 1, Integer::sum) == 1 && batch.number() == 2) {
            throw failure.get();
          }
        };
    return attempts;
  }

  /** Runs {@code runner.migrate()}, failing the test if it takes longer than a minute. */
  static void migrateWithinAMinute(MigrationRunner runner) {
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        Duration.ofSeconds(60), runner::migrate, "migrate hung on a batch's failure");
  }

  @Test
  void aFailureWithAHugeMessageIsRecordedCutAndMaskedWithoutStallingTheWorker() {
    insertItems(30);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    // A megabyte of hex without a space, as a driver or an application echoes a binary value.
    String blob = "0123456789abcdef".repeat(65_536);
    failBatchTwoOnceWith(
        catalog,
        () ->
            new IllegalStateException(
                "jdbc:postgresql://app:hunter22@db/orders password=hunter22 bad value " + blob));
    MigrationRunner runner = configure(catalog).build();

    migrateWithinAMinute(runner);

    assertEquals(Map.of(1, 30), hits(), "every row exactly once");
    BatchFailure failure = progress(runner).recentFailures().get(0);
    assertTrue(
        failure
            .message()
            .startsWith("jdbc:postgresql://app:***@db/orders password=*** bad value 0123"),
        failure.message());
    assertFalse(failure.message().contains("hunter22"));
    assertFalse(failure.stackTrace().contains("hunter22"));
    assertEquals(1000, failure.message().length());
    assertTrue(failure.stackTrace().length() <= 4000);
  }

  @Test
  void aFailureWhoseCausesFormACycleIsRecordedAndRetried() {
    insertItems(30);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    failBatchTwoOnceWith(
        catalog,
        () -> {
          // Throwable.initCause refuses only a throwable as its own cause: a longer cycle is legal.
          IllegalStateException outer = new IllegalStateException("outer");
          IllegalArgumentException inner = new IllegalArgumentException("inner");
          outer.initCause(inner);
          inner.initCause(outer);
          return outer;
        });
    MigrationRunner runner = configure(catalog).build();

    migrateWithinAMinute(runner);

    assertEquals(Map.of(1, 30), hits(), "every row exactly once");
    BatchFailure failure = progress(runner).recentFailures().get(0);
    assertEquals("outer", failure.message());
    assertTrue(failure.stackTrace().contains("inner"), failure.stackTrace());
    assertEquals("attempt 1 of 3, retried after 10 ms", failure.outcome());
  }

  @Test
  void aFailureWithAVeryDeepCauseChainIsRecordedWithABoundedTraceAndRetried() {
    insertItems(30);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    failBatchTwoOnceWith(
        catalog,
        () -> {
          RuntimeException failure = new IllegalStateException("deepest");
          for (int i = 0; i < 100_000; i++) {
            failure = new RuntimeException("wrapped " + i, failure);
          }
          return failure;
        });
    MigrationRunner runner = configure(catalog).build();

    migrateWithinAMinute(runner);

    assertEquals(Map.of(1, 30), hits(), "every row exactly once");
    BatchFailure failure = progress(runner).recentFailures().get(0);
    assertEquals("wrapped 99999", failure.message());
    assertTrue(failure.stackTrace().startsWith("java.lang.RuntimeException: wrapped 99999"));
    assertTrue(failure.stackTrace().length() <= 4000, "" + failure.stackTrace().length());
    assertEquals("attempt 1 of 3, retried after 10 ms", failure.outcome());
  }

  @Test
  void aFailureWhoseMessageHoldsControlCharactersAndAHalfSurrogateIsRecorded() {
    insertItems(30);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    // PostgreSQL refuses a NUL in text; a lone surrogate is no character in any encoding.
    failBatchTwoOnceWith(
        catalog, () -> new IllegalStateException("bad byte \u0000 in\tline\ud800 x \ud83d\ude00"));
    MigrationRunner runner = configure(catalog).build();

    migrateWithinAMinute(runner);

    assertEquals(Map.of(1, 30), hits(), "every row exactly once");
    BatchFailure failure = progress(runner).recentFailures().get(0);
    assertEquals("bad byte \ufffd in\tline\ufffd x \ud83d\ude00", failure.message());
  }

  @Test
  void aFailedBatchOfTextKeysIsRecordedWithItsKeysAndRetried() {
    String codes = items + "_codes";
    jdbi.useHandle(
        h -> {
          h.execute(
              "CREATE TABLE "
                  + codes
                  + " (code VARCHAR(20) NOT NULL PRIMARY KEY, hits INT NOT NULL)");
          for (int i = 1; i <= 30; i++) {
            h.execute(
                "INSERT INTO " + codes + " (code, hits) VALUES (?, 0)", String.format("k%03d", i));
          }
        });
    try {
      Map<Long, Integer> attempts = new ConcurrentHashMap<>();
      dev.datamigrations.runtime.backfill.Backfill backfill =
          new dev.datamigrations.runtime.backfill.Backfill() {
            @Override
            public dev.datamigrations.runtime.backfill.KeyRange keys() {
              return dev.datamigrations.runtime.backfill.KeyRange.of(codes, "code");
            }

            @Override
            public void process(Handle handle, Batch batch) {
              handle
                  .createUpdate(
                      "UPDATE " + codes + " SET hits = hits + 1 WHERE " + keys().condition())
                  .bindMap(batch.parameters())
                  .execute();
              if (attempts.merge(batch.number(), 1, Integer::sum) == 1 && batch.number() == 2) {
                throw new IllegalStateException("no total for " + batch.firstKey());
              }
            }
          };
      MigrationRunner runner =
          BackfillRunnerBuilder.configure(jdbi, new OneBackfillCatalog(backfill))
              .table(history)
              .batchSize(10)
              .backfills(b -> b.retryBackoff(Duration.ofMillis(10)))
              .build();

      migrateWithinAMinute(runner);

      int once =
          jdbi.withHandle(
              h ->
                  h.createQuery("SELECT COUNT(*) FROM " + codes + " WHERE hits = 1")
                      .mapTo(Integer.class)
                      .one());
      assertEquals(30, once, "every row exactly once");
      BackfillProgress progress =
          Backfills.of(runner).progress(OneBackfillCatalog.VERSION).orElseThrow();
      assertEquals(BackfillState.DONE, progress.state());
      BatchFailure failure = progress.recentFailures().get(0);
      assertEquals("'k011' to 'k020'", failure.keys());
      assertEquals("no total for 'k011'", failure.message());
      assertEquals("attempt 1 of 3, retried after 10 ms", failure.outcome());
    } finally {
      jdbi.useHandle(h -> h.execute("DROP TABLE IF EXISTS " + codes));
    }
  }

  @Test
  void theFailureThresholdWeighsTheRecentAttemptsOfEveryProcessNotOnlyThisOnes() {
    insertItems(200);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    java.util.concurrent.atomic.AtomicInteger failures =
        new java.util.concurrent.atomic.AtomicInteger();
    AtomicReference<MigrationRunner> firstProcess = new AtomicReference<>();
    // Batch 1 (keys 3 to 30) succeeds; every batch after it fails.
    catalog.afterUpdate =
        (handle, batch) -> {
          if (batch.first() >= 33) {
            if (failures.incrementAndGet() == 2) {
              firstProcess.get().close(); // the first process stops (a deploy) after two failures
            }
            throw new IllegalStateException("no total for batch " + batch.number());
          }
        };
    java.util.function.Supplier<MigrationRunner> process =
        () ->
            configure(catalog)
                .backfills(
                    b -> b.maxAttempts(100).failureWindow(4).retryBackoff(Duration.ofMillis(1)))
                .build();
    firstProcess.set(process.get());
    DataMigrationException stopped =
        assertThrows(DataMigrationException.class, firstProcess.get()::migrate);
    assertTrue(stopped.getMessage().contains("was stopped"), stopped.getMessage());
    assertEquals(BackfillState.RUNNING, progress(firstProcess.get()).state());

    MigrationRunner second = process.get();
    BackfillFailedException failure = assertThrows(BackfillFailedException.class, second::migrate);

    // S F F in the first process, F in the second: 3 of the backfill's last 4 attempts failed.
    assertEquals(3, failures.get(), "the second process failed it at its first failure");
    assertEquals(
        "3 of the last 4 batch attempts failed: the backfill failed",
        failure.progress().recentFailures().get(0).outcome());
    assertEquals(10, hitsOf(3, 30), "batch 1 done once");
    assertEquals(0, hitsOf(33, 600), "every failed batch rolled back");
  }

  @Test
  void aFailedAttemptOfABatchThatAnotherWorkerDidMeanwhileDoesNotFailTheBackfill()
      throws Exception {
    assumeTrue(
        db.url().startsWith("jdbc:postgresql") || db.url().startsWith("jdbc:mariadb"),
        "batches are shared by several workers on PostgreSQL and MariaDB only");
    insertItems(200);
    // 30 ms per batch: the other worker cannot finish two batches while the failing one records.
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 30);
    Map<Long, Integer> attempts = new ConcurrentHashMap<>();
    AtomicReference<Handle> holder = new AtomicReference<>();
    catalog.afterUpdate =
        (handle, batch) -> {
          if (attempts.merge(batch.number(), 1, Integer::sum) == 1 && batch.number() == 2) {
            // Holds the progress row, which recording the failure locks: the batch rolls back and
            // is open again before its failure is recorded, and the other worker claims it.
            Handle progressRow = jdbi.open();
            progressRow.begin();
            progressRow
                .createQuery(
                    "SELECT state FROM " + history + "_progress WHERE version = 2 FOR UPDATE")
                .mapTo(String.class)
                .one();
            holder.set(progressRow);
            throw new IllegalStateException("batch 2 fails on its first attempt only");
          }
        };
    MigrationRunner runner = configure(catalog).workers(2).backfills(b -> b.maxAttempts(1)).build();
    Thread release =
        new Thread(
            () -> {
              try {
                BackfillContract.waitFor(
                    "the other worker to do batch 2",
                    () ->
                        holder.get() != null
                            && jdbi.withHandle(
                                    h ->
                                        h.createQuery(
                                                "SELECT COUNT(*) FROM "
                                                    + history
                                                    + "_batches WHERE batch_no = 2 AND done = 1")
                                            .mapTo(Integer.class)
                                            .one())
                                == 1);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                Handle progressRow = holder.get();
                if (progressRow != null) {
                  progressRow.rollback();
                  progressRow.close();
                }
              }
            });
    release.start();

    runner.migrate();
    release.join(60_000);

    assertEquals(Map.of(1, 200), hits(), "every row exactly once");
    assertEquals(2, attempts.get(2L));
    BackfillProgress progress = progress(runner);
    assertEquals(BackfillState.DONE, progress.state());
    assertEquals(
        "attempt 1 of 1; meanwhile another worker did the batch",
        progress.recentFailures().get(0).outcome());
  }

  // ---- timeouts

  @Test
  void aBatchThatRunsPastTheTimeoutIsSplitInHalvesUntilItsHalvesFit() {
    assumeTrue(sleepSql(0.1) != null, "no sleep a statement timeout cancels on " + db.name());
    insertItems(40);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    List<Long> sizes = new CopyOnWriteArrayList<>();
    // 50 ms per key: a batch of more than 10 keys runs past 700 ms.
    catalog.afterUpdate =
        (handle, batch) -> {
          sizes.add(batch.size());
          handle.execute(sleepSql(0.05 * batch.size()));
        };
    MigrationRunner runner =
        configure(catalog)
            .batchSize(40)
            .backfills(b -> b.batchTimeout(Duration.ofMillis(700)))
            .build();

    runner.migrate();

    assertEquals(Map.of(1, 40), hits(), "every row exactly once");
    assertEquals(List.of(40L, 20L, 10L), sizes.subList(0, 3), sizes.toString());
    assertTrue(sizes.stream().allMatch(s -> s == 40 || s == 20 || s == 10), sizes.toString());
    BackfillProgress progress = progress(runner);
    assertEquals(BackfillState.DONE, progress.state());
    assertEquals(4, progress.batchesDone(), "40 keys in four batches of 10");
    assertEquals(
        "ran past the batch timeout: split in halves, each attempted again",
        failuresRecorded().get(0));
  }

  @Test
  void aSingleKeyThatRunsPastTheTimeoutFailsTheBackfillNamingThatKey() {
    assumeTrue(sleepSql(0.1) != null, "no sleep a statement timeout cancels on " + db.name());
    insertItems(8);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    catalog.afterUpdate =
        (handle, batch) -> {
          if (batch.first() <= 12 && 12 <= batch.last()) {
            handle.execute(sleepSql(2));
          }
        };
    MigrationRunner runner =
        configure(catalog)
            .batchSize(8)
            .backfills(b -> b.batchTimeout(Duration.ofMillis(300)))
            .build();

    BackfillFailedException failure = assertThrows(BackfillFailedException.class, runner::migrate);

    BatchFailure last = failure.progress().recentFailures().get(0);
    assertEquals("12 to 12", last.keys());
    assertEquals(3, last.attempt());
    assertEquals(0, hitsOf(12, 12));
    assertEquals(7, hitsOf(3, 24), "every other key was done once");
  }

  // ---- timeouts over composite and text keys

  /**
   * A backfill that adds 1 to {@code hits} of the rows of each batch (found with {@link
   * KeyRange#condition()}) and, while the batch holds more than {@code maxFitting} keys or the key
   * {@code neverFits}, then runs a statement until the batch timeout cancels it.
   */
  final class SlowWhenBig implements Backfill {
    final KeyRange keys;
    final int maxFitting;
    volatile Key neverFits;
    final List<Long> sizes = new CopyOnWriteArrayList<>();

    SlowWhenBig(KeyRange keys, int maxFitting, Key neverFits) {
      this.keys = keys;
      this.maxFitting = maxFitting;
      this.neverFits = neverFits;
    }

    @Override
    public KeyRange keys() {
      return keys;
    }

    @Override
    public void process(Handle handle, Batch batch) {
      sizes.add(batch.size());
      int updated =
          handle
              .createUpdate(
                  "UPDATE " + keys.table() + " SET hits = hits + 1 WHERE " + keys.condition())
              .bindMap(batch.parameters())
              .execute();
      assertEquals(batch.size(), updated, "a batch holds as many rows as its size says: " + batch);
      boolean holdsSlowKey =
          neverFits != null
              && handle
                      .createQuery(
                          "SELECT COUNT(*) FROM "
                              + keys.table()
                              + " WHERE "
                              + keys.condition()
                              + " AND "
                              + keys.keyColumns().get(0)
                              + " = :slow")
                      .bindMap(batch.parameters())
                      .bind("slow", neverFits.get(0))
                      .mapTo(Integer.class)
                      .one()
                  > 0;
      if (batch.size() > maxFitting || holdsSlowKey) {
        handle.execute(runUntilCancelledSql());
      }
    }
  }

  /** Creates a table of the test, dropped after it. */
  String otherTable(String name, String columns) {
    String table = items + "_" + name;
    otherTables.add(table);
    jdbi.useHandle(h -> h.execute("CREATE TABLE " + table + " (" + columns + ")"));
    return table;
  }

  MigrationRunner keysRunner(Migration backfill, int batchSize, Duration timeout) {
    return BackfillRunnerBuilder.configure(jdbi, new OneBackfillCatalog(backfill))
        .table(history)
        .lockTimeout(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .batchSize(batchSize)
        .backfills(b -> b.retryBackoff(Duration.ofMillis(10)).batchTimeout(timeout))
        .build();
  }

  List<String[]> failuresWithKeys() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT keys_text, outcome FROM "
                        + history
                        + "_errors ORDER BY failed_ms, batch_no, attempt")
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                .list());
  }

  static final String SPLIT = "ran past the batch timeout: split in halves, each attempted again";

  /**
   * 30 rows of a key whose first column repeats (20 rows of tenant {@code a}), in one batch of 30
   * that runs past the timeout while it holds more than 8 keys: split at its median tuple into 15
   * and 15, each of those into 7 and 8. Every row once, four batches, three splits recorded.
   */
  @Test
  void aCompositeKeyBatchThatRunsPastTheTimeoutIsSplitAtItsMedianTupleUntilItsHalvesFit() {
    assumeTrue(runUntilCancelledSql() != null, "no statement a timeout cancels on " + db.name());
    String table =
        otherTable(
            "tenants",
            "tenant_id VARCHAR(20) NOT NULL, id BIGINT NOT NULL, hits INT NOT NULL,"
                + " PRIMARY KEY (tenant_id, id)");
    jdbi.useTransaction(
        h -> {
          var insert =
              h.prepareBatch("INSERT INTO " + table + " (tenant_id, id, hits) VALUES (?, ?, 0)");
          for (int i = 1; i <= 30; i++) {
            insert.add(i <= 20 ? "a" : i <= 26 ? "b'" : "c", (long) (i <= 20 ? 21 - i : i));
          }
          insert.execute();
        });
    SlowWhenBig backfill = new SlowWhenBig(KeyRange.of(table, List.of("tenant_id", "id")), 8, null);
    MigrationRunner runner = keysRunner(backfill, 30, Duration.ofMillis(500));

    runner.migrate();

    assertEquals(Map.of(1, 30), hitsOf(table), "every row exactly once");
    assertEquals(List.of(30L, 15L, 7L, 15L, 7L, 8L, 8L), backfill.sizes);
    BackfillProgress progress = Backfills.of(runner).progress(OneBackfillCatalog.VERSION).get();
    assertEquals(BackfillState.DONE, progress.state());
    assertEquals(4, progress.batchesDone());
    assertEquals(30, progress.rowsDone());
    List<String[]> failures = failuresWithKeys();
    assertEquals(3, failures.size());
    assertTrue(failures.stream().allMatch(f -> f[1].equals(SPLIT)), failures.toString());
    // The first half of 30 ends inside tenant a's run of 20 rows: at its 15th id.
    assertEquals("('a', 1) to ('c', 30)", failures.get(0)[0]);
    assertEquals("('a', 1) to ('a', 15)", failures.get(1)[0]);
    assertEquals("('a', 16) to ('c', 30)", failures.get(2)[0]);
  }

  /**
   * Text keys with quotes and a filter that leaves out every third row: the halves count only the
   * rows the filter keeps (30 of 45), as the batches do.
   */
  @Test
  void aTextKeyBatchThatRunsPastTheTimeoutIsSplitOverTheFilteredRowsUntilItsHalvesFit() {
    assumeTrue(runUntilCancelledSql() != null, "no statement a timeout cancels on " + db.name());
    String table =
        otherTable(
            "codes",
            "code VARCHAR(40) NOT NULL PRIMARY KEY, skipped INT NOT NULL, hits INT NOT NULL");
    jdbi.useTransaction(
        h -> {
          var insert =
              h.prepareBatch("INSERT INTO " + table + " (code, skipped, hits) VALUES (?, ?, 0)");
          for (int i = 0; i < 45; i++) {
            insert.add("k" + (i % 5) + "'" + i + (i % 2 == 0 ? "\"" : ""), i % 3 == 0 ? 1 : 0);
          }
          insert.execute();
        });
    SlowWhenBig backfill =
        new SlowWhenBig(KeyRange.of(table, "code").where("skipped = 0"), 8, null);
    MigrationRunner runner = keysRunner(backfill, 30, Duration.ofMillis(500));

    runner.migrate();

    assertEquals(Map.of(0, 15, 1, 30), hitsOf(table), "every kept row once, no skipped row");
    int skippedHit =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE skipped = 1 AND hits > 0")
                    .mapTo(Integer.class)
                    .one());
    assertEquals(0, skippedHit, "no skipped row was processed");
    assertEquals(List.of(30L, 15L, 7L, 15L, 7L, 8L, 8L), backfill.sizes);
    BackfillProgress progress = Backfills.of(runner).progress(OneBackfillCatalog.VERSION).get();
    assertEquals(BackfillState.DONE, progress.state());
    assertEquals(4, progress.batchesDone());
    List<String[]> failures = failuresWithKeys();
    assertEquals(3, failures.size());
    assertTrue(failures.stream().allMatch(f -> f[1].equals(SPLIT)), failures.toString());
  }

  /**
   * One text key that does not fit: its batch is split down to that key alone, which cannot be
   * split and fails its three attempts; the backfill fails naming the key. After the fix, resume
   * finishes it, every row once.
   */
  @Test
  void aTextKeyThatAloneRunsPastTheTimeoutFailsTheBackfillNamingThatKey() {
    assumeTrue(runUntilCancelledSql() != null, "no statement a timeout cancels on " + db.name());
    String table = otherTable("names", "name VARCHAR(40) NOT NULL PRIMARY KEY, hits INT NOT NULL");
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < 11; i++) {
      names.add("n" + i);
    }
    names.add("O'Brien");
    jdbi.useTransaction(
        h -> {
          var insert = h.prepareBatch("INSERT INTO " + table + " (name, hits) VALUES (?, 0)");
          names.forEach(insert::add);
          insert.execute();
        });
    SlowWhenBig backfill = new SlowWhenBig(KeyRange.of(table, "name"), 100, Key.of("O'Brien"));
    MigrationRunner runner = keysRunner(backfill, 12, Duration.ofMillis(300));

    BackfillFailedException failure = assertThrows(BackfillFailedException.class, runner::migrate);

    BatchFailure last = failure.progress().recentFailures().get(0);
    assertEquals("'O''Brien' to 'O''Brien'", last.keys());
    assertEquals(3, last.attempt());
    assertEquals("its last attempt (3 of 3): the backfill failed", last.outcome());
    assertTrue(
        failuresWithKeys().stream().filter(f -> f[1].equals(SPLIT)).count() >= 2,
        "split down to the one key first");
    assertTrue(hitsOf(table).keySet().stream().allMatch(h -> h <= 1), hitsOf(table).toString());
    int slowHits =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT hits FROM " + table + " WHERE name = 'O''Brien'")
                    .mapTo(Integer.class)
                    .one());
    assertEquals(0, slowHits, "the key that does not fit was rolled back each time");

    backfill.neverFits = null;
    Backfills.of(runner).resume(OneBackfillCatalog.VERSION);
    runner.migrate();
    assertEquals(Map.of(1, 12), hitsOf(table), "every row exactly once");
  }

  /**
   * A filter that costs 20 ms per row: the timed-out batch of 30 rows counts its rows for the split
   * in 0.6 s, past the 400 ms batch timeout. The split runs after the batch, not under its timeout
   * (MariaDB's and H2's timeout is a session setting, still set while the failure was recorded: the
   * split's count was cancelled and the worker died with "failed on its progress tables", the
   * attempt unrecorded).
   */
  @Test
  void theSplitOfATimedOutBatchIsNotBoundByTheBatchTimeout() {
    assumeTrue(runUntilCancelledSql() != null, "no statement a timeout cancels on " + db.name());
    assumeTrue(slowFilterSql(0.02) != null, "no slow condition on " + db.name());
    String table = otherTable("slow", "code VARCHAR(40) NOT NULL PRIMARY KEY, hits INT NOT NULL");
    jdbi.useTransaction(
        h -> {
          var insert = h.prepareBatch("INSERT INTO " + table + " (code, hits) VALUES (?, 0)");
          for (int i = 10; i < 40; i++) {
            insert.add("c" + i);
          }
          insert.execute();
        });
    SlowWhenBig backfill =
        new SlowWhenBig(KeyRange.of(table, "code").where(slowFilterSql(0.02)), 8, null);
    MigrationRunner runner = keysRunner(backfill, 30, Duration.ofMillis(400));

    runner.migrate();

    assertEquals(Map.of(1, 30), hitsOf(table), "every row exactly once");
    assertEquals(30L, backfill.sizes.get(0));
    assertEquals(15L, backfill.sizes.get(1), "the first batch was split in halves");
    List<String[]> failures = failuresWithKeys();
    assertTrue(failures.stream().allMatch(f -> f[1].equals(SPLIT)), failures.toString());
    assertEquals(
        BackfillState.DONE,
        Backfills.of(runner).progress(OneBackfillCatalog.VERSION).get().state());
  }

  /**
   * A query whose key became duplicated after its batch was handed out (a second tag for order 2,
   * committed while the batch ran): the timed-out batch of orders 1 to 4 has its median key twice.
   * Halves 1..2 and 2..4 would both hold order 2, processed twice; the split refuses the duplicate
   * as a page that holds one is refused.
   */
  @Test
  void aTimedOutQueryBatchWhoseMedianKeyIsNowDuplicatedIsNotSplitIntoOverlappingHalves() {
    assumeTrue(runUntilCancelledSql() != null, "no statement a timeout cancels on " + db.name());
    String orders = otherTable("orders", "id BIGINT NOT NULL PRIMARY KEY, hits INT NOT NULL");
    String tags = otherTable("tags", "order_id BIGINT NOT NULL, tag VARCHAR(10) NOT NULL");
    jdbi.useTransaction(
        h -> {
          for (int i = 1; i <= 4; i++) {
            h.execute("INSERT INTO " + orders + " (id, hits) VALUES (?, 0)", i);
            h.execute("INSERT INTO " + tags + " (order_id, tag) VALUES (?, 'x')", i);
          }
        });
    AtomicBoolean first = new AtomicBoolean(true);
    dev.datamigrations.runtime.backfill.QueryBackfill backfill =
        new dev.datamigrations.runtime.backfill.QueryBackfill() {
          @Override
          public dev.datamigrations.runtime.backfill.BackfillQuery query() {
            return dev.datamigrations.runtime.backfill.BackfillQuery.of(
                "SELECT o.id AS order_id FROM "
                    + orders
                    + " o JOIN "
                    + tags
                    + " t ON t.order_id = o.id",
                "order_id");
          }

          @Override
          public void process(Handle handle, Batch batch) {
            handle
                .createUpdate(
                    "UPDATE " + orders + " SET hits = hits + 1 WHERE id BETWEEN :first AND :last")
                .bind("first", batch.first())
                .bind("last", batch.last())
                .execute();
            if (first.getAndSet(false)) {
              jdbi.useHandle(
                  other ->
                      other.execute("INSERT INTO " + tags + " (order_id, tag) VALUES (2, 'y')"));
              handle.execute(runUntilCancelledSql());
            }
          }
        };
    MigrationRunner runner = keysRunner(backfill, 10, Duration.ofMillis(300));

    RuntimeException refused = assertThrows(RuntimeException.class, runner::migrate);

    StringBuilder messages = new StringBuilder();
    for (Throwable t = refused; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    assertTrue(
        messages.toString().contains("two rows of its query have the key 2"), messages.toString());
    assertTrue(
        hitsOf(orders).keySet().stream().allMatch(h -> h <= 1),
        "no order processed twice: " + hitsOf(orders));
  }

  Map<Integer, Integer> hitsOf(String table) {
    Map<Integer, Integer> hits = new TreeMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery("SELECT hits, COUNT(*) FROM " + table + " GROUP BY hits")
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getInt(2)))
                .forEach(e -> hits.put(e.getKey(), e.getValue())));
    return hits;
  }

  List<String> failuresRecorded() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT outcome FROM " + history + "_errors ORDER BY failed_ms")
                .mapTo(String.class)
                .list());
  }

  @Test
  void aBatchTimeoutIsRefusedWhereTheDatabaseCannotBoundStatements() {
    assumeTrue(database().url().startsWith("jdbc:sqlite"), "SQLite only");
    insertItems(10);
    MigrationRunner runner =
        configure(new BackfillCatalog(items, marker, 0))
            .backfills(b -> b.batchTimeout(Duration.ofSeconds(1)))
            .build();
    DataMigrationException refused = assertThrows(DataMigrationException.class, runner::migrate);
    assertTrue(refused.getMessage().contains("has no statement timeout"), refused.getMessage());
    assertEquals(Map.of(0, 10), hits());
  }

  // ---- sub-batches

  @Test
  void subBatchesCommitOneByOneAndTheBatchCountsOnceAllAreDone() {
    insertItems(100);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    List<Batch> processed = new CopyOnWriteArrayList<>();
    Map<Long, Long> doneWhileProcessing = new ConcurrentHashMap<>();
    catalog.beforeBatch =
        batch -> {
          processed.add(batch);
          doneWhileProcessing.put(batch.first(), (long) hitsOf(3, 300));
        };
    MigrationRunner runner =
        configure(catalog).batchSize(50).backfills(b -> b.subBatchSize(10)).build();

    runner.migrate();

    assertEquals(Map.of(1, 100), hits());
    assertEquals(10, processed.size(), processed.toString());
    assertTrue(processed.stream().allMatch(b -> b.size() == 10), processed.toString());
    assertEquals(1, processed.get(1).number(), "sub-batches keep their batch's number");
    // Each sub-batch sees the ones before it committed (another connection reads them).
    assertEquals(10L, doneWhileProcessing.get(33L));
    BackfillProgress progress = progress(runner);
    assertEquals(2, progress.batchesDone(), "two batches of 50 keys");
    assertEquals(100, progress.rowsDone());
  }

  @Test
  void aFailingSubBatchRollsBackAloneAndItsBatchGoesOnFromIt() {
    insertItems(50);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    AtomicBoolean once = new AtomicBoolean(true);
    catalog.afterUpdate =
        (handle, batch) -> {
          if (batch.first() == 63 && once.getAndSet(false)) {
            throw new IllegalStateException("sub-batch 3 fails once");
          }
        };
    MigrationRunner runner =
        configure(catalog).batchSize(50).backfills(b -> b.subBatchSize(10)).build();

    runner.migrate();

    assertEquals(Map.of(1, 50), hits(), "no sub-batch twice");
    BatchFailure failure = progress(runner).recentFailures().get(0);
    // Its first key moved past the committed sub-batches (to the key after 60).
    assertEquals("61 to 150", failure.keys(), "the batch failed from its uncommitted sub-batch");
  }

  @Test
  void aBackfillThatFailsInASubBatchSaysThatTheSubBatchesCommittedBeforeStayDone() {
    insertItems(50);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    catalog.afterUpdate =
        (handle, batch) -> {
          if (batch.first() == 63) {
            throw new IllegalStateException("sub-batch 3 always fails");
          }
        };
    MigrationRunner runner =
        configure(catalog).batchSize(50).backfills(b -> b.subBatchSize(10).maxAttempts(1)).build();

    BackfillFailedException failure = assertThrows(BackfillFailedException.class, runner::migrate);

    assertEquals(20, hitsOf(3, 60), "the two sub-batches before the failing one stay done");
    assertEquals(0, hitsOf(63, 150));
    // Not "its failed batches were rolled back": half of the failed batch is committed.
    assertTrue(
        failure
            .getMessage()
            .contains(
                "Each failed attempt was rolled back; batches, and sub-batches, committed before"
                    + " it stay done, and nothing after the backfill was run."),
        failure.getMessage());
  }

  @Test
  void killedSubBatchedWorkersRedoOnlyTheSubBatchThatDidNotCommit() throws Exception {
    insertItems(2000);
    keeper.close();
    Path output = Files.createTempFile("datamigrations-subbatch", ".log");
    Random random = new Random(13);
    int kills = 0;
    boolean finished = false;
    for (int round = 0; round < 15 && !finished; round++) {
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Dbackfill.subBatchSize=10",
                  "-cp",
                  System.getProperty("java.class.path"),
                  BackfillWorkerMain.class.getName(),
                  db.url(),
                  db.user() == null ? "" : db.user(),
                  db.password() == null ? "" : db.password(),
                  history,
                  items,
                  marker,
                  "8",
                  "200",
                  "migrate")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
              .start();
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
    MigrationRunner runner =
        configure(new BackfillCatalog(items, marker, 0))
            .batchSize(200)
            .backfills(b -> b.subBatchSize(10))
            .build();
    runner.migrate();
    assertEquals(Map.of(1, 2000), hits(), "every row exactly once after " + kills + " kills");
    assertEquals(2000, progress(runner).rowsDone());
    assertEquals(List.of("after", "seed"), markers());
  }

  // ---- the lock-wait throttle

  @Test
  void theThrottleShrinksBatchesWhileAnotherSessionWaitsOnTheWorkersLocks() throws Exception {
    insertItems(200);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    List<String> reasons = new CopyOnWriteArrayList<>();
    BackfillListener listener =
        new BackfillListener() {
          @Override
          public void backfillThrottled(
              MigrationDescriptor backfill, String reason, Duration wait) {
            reasons.add(reason);
          }
        };
    if (sessionsWaitingForALockSql() == null) {
      MigrationRunner runner =
          configure(catalog)
              .backfills(b -> b.throttle(LockWaitThrottle.defaults()).listener(listener))
              .build();
      DataMigrationException refused = assertThrows(DataMigrationException.class, runner::migrate);
      assertTrue(
          refused.getMessage().contains("cannot tell which sessions wait"), refused.getMessage());
      return;
    }
    List<Long> sizes = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> applicationFailure = new AtomicReference<>();
    CountDownLatch applicationDone = new CountDownLatch(1);
    catalog.afterUpdate =
        (handle, batch) -> {
          sizes.add(batch.size());
          if (batch.number() == 2) {
            // The application updates a row this batch holds, and waits for it.
            Thread application =
                new Thread(
                    () -> {
                      try (Handle app = jdbi.open()) {
                        app.execute("UPDATE " + items + " SET hits = hits WHERE id = 150");
                      } catch (Throwable t) {
                        applicationFailure.set(t);
                      } finally {
                        applicationDone.countDown();
                      }
                    });
            application.start();
            try {
              BackfillContract.waitFor(
                  "the application to wait on the batch's lock",
                  () ->
                      jdbi.withHandle(
                              h ->
                                  h.createQuery(sessionsWaitingForALockSql())
                                      .mapTo(Long.class)
                                      .one())
                          > 0);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    MigrationRunner runner =
        configure(catalog)
            .batchSize(40)
            .backfills(
                b ->
                    b.throttle(new LockWaitThrottle(5, Duration.ofMillis(10), 3, 0))
                        .busyPause(0)
                        .listener(listener))
            .build();

    runner.migrate();

    assertTrue(applicationDone.await(60, TimeUnit.SECONDS));
    assertEquals(null, applicationFailure.get());
    assertEquals(Map.of(1, 200), hits());
    assertEquals(
        List.of("another session waited on this worker's locks: batch size 40 -> 20"), reasons);
    // 40, 40 (blocked: 20 from now on, the batches handed out at 40 in sub-batches of 20), 20
    // three times without blocking anyone, then 40 again.
    assertEquals(List.of(40L, 40L, 20L, 20L, 20L, 20L, 40L), sizes.subList(0, 7), sizes.toString());
  }
}
