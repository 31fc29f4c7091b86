package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.backfill.BackfillCancelledException;
import dev.datamigrations.runtime.backfill.Backfills;
import dev.datamigrations.runtime.backfill.HealthCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * The backfill tests of several worker processes sharing one backfill, claiming batches with {@code
 * FOR UPDATE SKIP LOCKED}: PostgreSQL and MariaDB/MySQL. Embedded databases run one worker.
 */
abstract class MultiWorkerBackfillContract extends BackfillContract {

  @Test
  void aBackfillThatAnotherRunFinishesWhileThisRunStartsItIsNotRunAgain() throws Exception {
    insertItems(50);
    BackfillCatalog first = new BackfillCatalog(items, marker, 0);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch planned = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    first.beforeBatch = batch -> await(release);
    // The late run has read the history (the backfill is not applied) when its start asks the
    // health check,
    // under the run lock; the first run's workers, which need no run lock here, finish the backfill
    // meanwhile.
    HealthCheck waitsForTheFirstRun =
        new HealthCheck() {
          @Override
          public Status check(Handle handle) {
            return Status.HEALTHY;
          }

          @Override
          public void verify(Handle handle) {
            planned.countDown();
            await(finished);
          }
        };
    MigrationRunner firstRunner = configure(first).batchSize(10).build();
    MigrationRunner lateRunner =
        configure(new BackfillCatalog(items, marker, 0))
            .batchSize(10)
            .healthCheck(waitsForTheFirstRun)
            .build();
    List<Object> outcomes = new CopyOnWriteArrayList<>();
    Thread firstRun = run(firstRunner, outcomes);
    try {
      waitFor("the first run to start its batches", () -> first.batches.get() > 0);
      Thread lateRun = run(lateRunner, outcomes);
      assertTrue(planned.await(60, TimeUnit.SECONDS), "the late run planned the backfill");
      release.countDown();
      waitFor(
          "the first run to finish the backfill",
          () ->
              jdbi.withHandle(
                      h ->
                          h.createQuery(
                                  "SELECT COUNT(*) FROM "
                                      + history
                                      + " WHERE version = "
                                      + BackfillCatalog.FILL)
                              .mapTo(Long.class)
                              .one())
                  == 1);
      finished.countDown();
      firstRun.join(60_000);
      lateRun.join(60_000);
    } finally {
      release.countDown();
      finished.countDown();
      firstRunner.close();
      lateRunner.close();
    }
    assertEquals(2, outcomes.size(), outcomes::toString);
    outcomes.forEach(o -> assertTrue(o instanceof MigrateResult, String.valueOf(o)));
    assertEquals(Map.of(1, 50), hits(), "every row processed once, by the first run only");
    assertEquals(List.of("after", "seed"), markers());
  }

  private static Thread run(MigrationRunner runner, List<Object> outcomes) {
    Thread thread =
        new Thread(
            () -> {
              try {
                outcomes.add(runner.migrate());
              } catch (Throwable t) {
                outcomes.add(t);
              }
            });
    thread.start();
    return thread;
  }

  private static void await(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void fourWorkerProcessesShareTheBatches() throws Exception {
    insertItems(4000);
    MigrationRunner runner = configure(new BackfillCatalog(items, marker, 0)).build();
    runner.up(BackfillCatalog.SEED);
    keeper.close();
    Path output = Files.createTempFile("datamigrations-backfill", ".log");
    Path start = output.resolveSibling(output.getFileName() + ".start");
    List<Process> workers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      workers.add(startWorker("work", 5, 20, output, start));
    }
    waitFor(
        "4 workers ready",
        () -> {
          try {
            return Files.readString(output, StandardCharsets.UTF_8)
                    .split(BackfillWorkerMain.READY, -1)
                    .length
                > 4;
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    Files.createFile(start);
    for (Process worker : workers) {
      assertTrue(worker.waitFor(120, TimeUnit.SECONDS));
    }
    String log = Files.readString(output, StandardCharsets.UTF_8);
    Files.delete(output);
    Files.delete(start);
    for (Process worker : workers) {
      assertEquals(0, worker.exitValue(), log);
    }
    assertEquals(4, log.split(BackfillWorkerMain.FINISHED + "DONE", -1).length - 1, log);
    assertEquals(Map.of(1, 4000), hits());
    jdbi.useHandle(
        h -> {
          assertEquals(
              200L,
              h.createQuery("SELECT COUNT(*) FROM " + history + "_batches WHERE done = 1")
                  .mapTo(Long.class)
                  .one());
          assertEquals(
              0L,
              h.createQuery("SELECT COUNT(*) FROM " + history + "_batches WHERE done = 0")
                  .mapTo(Long.class)
                  .one());
          long workersSeen =
              h.createQuery("SELECT COUNT(DISTINCT worker) FROM " + history + "_batches")
                  .mapTo(Long.class)
                  .one();
          assertTrue(workersSeen >= 2, "batches done by " + workersSeen + " worker(s)");
        });
    assertEquals(MigrationState.APPLIED, state(runner, BackfillCatalog.FILL));
    assertEquals(List.of(3L), runner.migrate().versions());
  }

  @Test
  void pauseResumeAndCancelAcrossProcesses() throws Exception {
    insertItems(2000);
    MigrationRunner runner = configure(new BackfillCatalog(items, marker, 0)).build();
    runner.up(BackfillCatalog.SEED);
    Path output = Files.createTempFile("datamigrations-backfill", ".log");
    Process worker = startWorker("work-telling-idle", 20, 10, output, null);
    try {
      waitFor(
          "a first batch",
          () ->
              Backfills.of(runner)
                  .progress(BackfillCatalog.FILL)
                  .map(p -> p.rowsDone() > 0)
                  .orElse(false));
      Backfills.of(runner).pause(BackfillCatalog.FILL);
      // A batch in flight when it was paused may still commit: the worker says when none is.
      Awaitility.await("the worker process to have no batch in flight")
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.readString(output).contains(BackfillWorkerMain.IDLE_WHILE_PAUSED));
      long paused = Backfills.of(runner).progress(BackfillCatalog.FILL).orElseThrow().rowsDone();
      Thread.sleep(500); // the time in which nothing must move: the check, not a wait
      assertEquals(
          paused,
          Backfills.of(runner).progress(BackfillCatalog.FILL).orElseThrow().rowsDone(),
          "the worker paused");
      assertTrue(worker.isAlive(), "a paused worker waits");

      Backfills.of(runner).resume(BackfillCatalog.FILL);
      waitFor(
          "progress after resume",
          () ->
              Backfills.of(runner).progress(BackfillCatalog.FILL).orElseThrow().rowsDone()
                  > paused);

      Backfills.of(runner).cancel(BackfillCatalog.FILL);
      assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "a cancelled worker exits");
      String log = Files.readString(output, StandardCharsets.UTF_8);
      assertTrue(log.contains(BackfillWorkerMain.FINISHED + "CANCELLED"), log);
      assertEquals(MigrationState.CANCELLED, state(runner, BackfillCatalog.FILL));
      assertThrows(BackfillCancelledException.class, runner::migrate);
    } finally {
      worker.destroyForcibly().waitFor();
      Files.delete(output);
    }
    Backfills.of(runner).resume(BackfillCatalog.FILL);
    assertEquals(List.of(2L, 3L), runner.migrate().versions());
    assertEquals(Map.of(1, 2000), hits());
  }
}
