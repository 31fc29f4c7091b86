package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.datamigrations.runtime.backfill.HealthCheck;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/** The backfill suite on Sqlite. */
class SqliteBackfillTest extends BackfillContract {
  private static final TestDatabase DATABASE = TestDatabase.sqlite();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  /**
   * A writer that holds SQLite's write lock longer than the busy timeout (3 s) in the middle of the
   * backfill: the next batch's BEGIN IMMEDIATE fails with SQLITE_BUSY, and is attempted again (up
   * to 5 attempts) instead of failing the backfill.
   */
  @Test
  void aBatchThatFindsTheDatabaseBusyPastTheTimeoutIsAttemptedAgain() throws Exception {
    insertItems(60);
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    CountDownLatch holding = new CountDownLatch(1);
    AtomicReference<Throwable> holderFailure = new AtomicReference<>();
    Thread holder =
        new Thread(
            () -> {
              try (Handle handle = jdbi.open()) {
                handle.execute("BEGIN IMMEDIATE");
                handle.execute("INSERT INTO " + marker + " (name) VALUES ('holder')");
                holding.countDown();
                Thread.sleep(4_000);
                handle.execute("COMMIT");
              } catch (Throwable t) {
                holderFailure.set(t);
                holding.countDown();
              }
            });
    AtomicInteger checks = new AtomicInteger();
    HealthCheck holdAfterTheFirstBatch =
        handle -> {
          if (checks.incrementAndGet() == 2) {
            holder.start();
            await(holding);
          }
          return HealthCheck.Status.HEALTHY;
        };
    configure(catalog).batchSize(10).healthCheck(holdAfterTheFirstBatch).build().migrate();
    holder.join(30_000);
    assertNull(holderFailure.get(), () -> "the holder failed: " + holderFailure.get());
    assertEquals(Map.of(1, 60), hits());
    assertEquals(List.of("after", "holder", "seed"), markers());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
