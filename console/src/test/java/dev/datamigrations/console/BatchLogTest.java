package dev.datamigrations.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the backfill panel's chart costs on PostgreSQL: reading the last two minutes of a backfill
 * that has done many batches reads about as many rows as the window can hold, not every batch the
 * backfill ever did (counted by PostgreSQL's own table statistics).
 */
class BatchLogTest {
  private static final String HISTORY = "console_cost";
  private static final int OLD_BATCHES = 400_000;

  @Test
  void theChartReadsTheRecentBatchesNotTheWholeBackfill() throws Exception {
    long started = System.nanoTime();
    ConsoleDatabase database = ConsoleDatabase.postgres();
    long now = System.currentTimeMillis();
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + HISTORY + "_batches");
      // The runtime's batches table (BackfillTables), with a long-running backfill's history:
      // 400,000 batches done
      // an hour ago, then 30 in the last minute by two workers.
      statement.execute(
          "CREATE TABLE "
              + HISTORY
              + "_batches (version BIGINT NOT NULL, done INT NOT NULL, batch_no BIGINT NOT NULL,"
              + " first_key BIGINT NOT NULL, last_key BIGINT NOT NULL, row_count BIGINT NOT NULL, duration_ms BIGINT,"
              + " done_ms BIGINT, worker VARCHAR(200), PRIMARY KEY (version, done, batch_no))");
      statement.execute(
          "INSERT INTO "
              + HISTORY
              + "_batches SELECT 2, 1, g, g * 10, g * 10 + 9, 10, 5, "
              + (now - 3_600_000)
              + ", 'old' FROM generate_series(1, "
              + OLD_BATCHES
              + ") g");
      statement.execute(
          "INSERT INTO "
              + HISTORY
              + "_batches SELECT 2, 1, g, g * 10, g * 10 + 9, 10, 5, "
              + (now - 60_000)
              + " + g - "
              + OLD_BATCHES
              + ", 'worker-' || (g % 2) FROM generate_series("
              + (OLD_BATCHES + 1)
              + ", "
              + (OLD_BATCHES + 30)
              + ") g");
      statement.execute("ANALYZE " + HISTORY + "_batches");
    }
    long before = rowsRead(database, -1);

    BatchLog.Recent recent;
    try (Connection connection = database.getConnection()) {
      recent = BatchLog.read(connection, new Tables(null, HISTORY), 2, now);
    } // the backend's statistics are reported when its connection ends

    assertEquals(300, recent.rowsPerBucket().stream().mapToLong(Long::longValue).sum());
    assertEquals(
        List.of("worker-0", "worker-1"),
        recent.workers().stream().map(BatchLog.Worker::name).sorted().toList());
    long read = rowsRead(database, before) - before;
    assertTrue(read <= 25_000, "the chart read " + read + " rows of " + (OLD_BATCHES + 30));
    System.out.printf(
        "BatchLogTest: %d rows read of %d; %d ms%n",
        read, OLD_BATCHES + 30, (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * Returns the rows PostgreSQL reports read from the table, waiting until it reports more than
   * {@code after}.
   */
  private static long rowsRead(ConsoleDatabase database, long after) throws SQLException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (true) {
      try (Connection connection = database.getConnection();
          Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_fetch, 0) FROM pg_stat_user_tables"
                      + " WHERE relname = '"
                      + HISTORY
                      + "_batches'")) {
        long read = rows.next() ? rows.getLong(1) : 0;
        if (read > after || System.nanoTime() > deadline) {
          return read;
        }
      }
      Thread.onSpinWait();
    }
  }
}
