package dev.datamigrations.example.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.testing.BackfillRun;
import dev.datamigrations.testing.DataMigrationsTest;
import dev.datamigrations.testing.MigrationTester;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backfill, on the orders the seed migration before it inserted, cut down to a few with gaps,
 * in batches of several sizes (each case on a fresh database): every batch edge is a key somewhere.
 */
@DataMigrationsTest
class BackfillOrderTotalsTest {
  private static final long VERSION = 20240906080000L;

  private static void keepAFewOrders(Handle handle) {
    handle.execute("DELETE FROM orders WHERE id > 12 OR MOD(id, 4) = 0");
  }

  private static int withTotal(Handle handle) {
    return handle
        .select("SELECT COUNT(*) FROM orders WHERE total_cents = quantity * unit_price_cents")
        .mapTo(Integer.class)
        .one();
  }

  @ParameterizedTest(name = "batches of {0}")
  @ValueSource(ints = {1, 2, 3, 5, 1000})
  void fillsEveryTotalWhateverTheBatchSize(int batchSize, MigrationTester tester) {
    tester.migrateBefore(VERSION).seed(BackfillOrderTotalsTest::keepAFewOrders);

    BackfillRun run =
        tester.runBackfill(
            VERSION,
            batchSize,
            (handle, batch) ->
                assertEquals(
                    0,
                    handle
                        .select(
                            "SELECT COUNT(*) FROM orders WHERE id BETWEEN ? AND ? AND total_cents IS NULL",
                            batch.first(),
                            batch.last())
                        .mapTo(Integer.class)
                        .one(),
                    "orders left without a total in " + batch));

    assertEquals(BackfillState.DONE, run.progress().state());
    assertEquals(9, run.keys());
    assertEquals((9 + batchSize - 1) / batchSize, run.batches().size());
    tester.useHandle(handle -> assertEquals(9, withTotal(handle)));
  }

  @Test
  void isReversibleAndCanRunAgain(MigrationTester tester) {
    tester.migrateBefore(VERSION).seed(BackfillOrderTotalsTest::keepAFewOrders);

    tester.assertReversible(VERSION);
    tester.assertIdempotent(VERSION, "orders");
  }
}
