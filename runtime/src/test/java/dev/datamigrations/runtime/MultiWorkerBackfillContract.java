package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backfill tests of several worker processes sharing one backfill, claiming batches with
 * {@code FOR UPDATE SKIP LOCKED}: PostgreSQL and MariaDB/MySQL. Embedded databases run one worker.
 */
abstract class MultiWorkerBackfillContract extends BackfillContract {

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
            return Files.readString(output, StandardCharsets.UTF_8).split(BackfillWorkerMain.READY, -1).length > 4;
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
              200L, h.createQuery("SELECT COUNT(*) FROM " + history + "_batches WHERE done = 1").mapTo(Long.class).one());
          assertEquals(
              0L, h.createQuery("SELECT COUNT(*) FROM " + history + "_batches WHERE done = 0").mapTo(Long.class).one());
          long workersSeen =
              h.createQuery("SELECT COUNT(DISTINCT worker) FROM " + history + "_batches").mapTo(Long.class).one();
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
    Process worker = startWorker("work", 20, 10, output, null);
    try {
      waitFor("a first batch", () -> runner.progress(BackfillCatalog.FILL).map(p -> p.rowsDone() > 0).orElse(false));
      runner.pause(BackfillCatalog.FILL);
      Thread.sleep(300);
      long paused = runner.progress(BackfillCatalog.FILL).orElseThrow().rowsDone();
      Thread.sleep(500);
      assertEquals(paused, runner.progress(BackfillCatalog.FILL).orElseThrow().rowsDone(), "the worker paused");
      assertTrue(worker.isAlive(), "a paused worker waits");

      runner.resume(BackfillCatalog.FILL);
      waitFor("progress after resume", () -> runner.progress(BackfillCatalog.FILL).orElseThrow().rowsDone() > paused);

      runner.cancel(BackfillCatalog.FILL);
      assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "a cancelled worker exits");
      String log = Files.readString(output, StandardCharsets.UTF_8);
      assertTrue(log.contains(BackfillWorkerMain.FINISHED + "CANCELLED"), log);
      assertEquals(MigrationState.CANCELLED, state(runner, BackfillCatalog.FILL));
      assertThrows(BackfillCancelledException.class, runner::migrate);
    } finally {
      worker.destroyForcibly().waitFor();
      Files.delete(output);
    }
    runner.resume(BackfillCatalog.FILL);
    assertEquals(List.of(2L, 3L), runner.migrate().versions());
    assertEquals(Map.of(1, 2000), hits());
  }
}
