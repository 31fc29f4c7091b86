package dev.datamigrations.console;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a backfill's recent batches from the runtime's {@code <history>_batches} table (its {@code
 * worker}, {@code done_ms} and {@code row_count} columns, see the README's "How it runs"): which
 * workers committed a batch lately, and the rows done per interval over the last {@link #WINDOW},
 * for the throughput chart. Batches are planned and claimed in {@code batch_no} order, so the
 * recent ones are among the newest {@link #MAX_ROWS} numbers: two reads on the primary key {@code
 * (version, done, batch_no)} (the newest number, then that range), whatever the number of batches
 * the backfill has done.
 */
final class BatchLog {
  static final Duration WINDOW = Duration.ofMinutes(2);
  static final Duration BUCKET = Duration.ofSeconds(5);

  /** A worker that committed a batch this recently counts as working. */
  static final Duration ACTIVE = Duration.ofSeconds(3);

  private static final int MAX_ROWS = 20_000;

  private BatchLog() {}

  /** One worker seen in the window. */
  record Worker(String name, Instant lastBatchAt, long batches, boolean active) {}

  /** What the window holds: workers, newest first, and rows per bucket, oldest first. */
  record Recent(List<Worker> workers, List<Long> rowsPerBucket) {}

  static Recent read(Connection connection, Tables tables, long version, long nowMillis)
      throws SQLException {
    long since = nowMillis - WINDOW.toMillis();
    int buckets = (int) (WINDOW.toMillis() / BUCKET.toMillis());
    long[] rows = new long[buckets];
    Map<String, long[]> workers = new LinkedHashMap<>();
    if (tables.exists(connection, "batches")) {
      long newest;
      try (PreparedStatement max =
          connection.prepareStatement(
              "SELECT MAX(batch_no) FROM "
                  + tables.batches()
                  + " WHERE version = ? AND done = 1")) {
        max.setLong(1, version);
        try (ResultSet result = max.executeQuery()) {
          result.next();
          newest = result.getLong(1);
        }
      }
      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT worker, done_ms, row_count FROM "
                  + tables.batches()
                  + " WHERE version = ? AND done = 1 AND batch_no > ? AND done_ms >= ?")) {
        select.setLong(1, version);
        select.setLong(2, newest - MAX_ROWS);
        select.setLong(3, since);
        try (ResultSet result = select.executeQuery()) {
          while (result.next()) {
            String worker = result.getString(1);
            long doneMillis = result.getLong(2);
            long count = result.getLong(3);
            int bucket =
                (int) Math.min(buckets - 1, Math.max(0, (doneMillis - since) / BUCKET.toMillis()));
            rows[bucket] += count;
            long[] seen =
                workers.computeIfAbsent(worker == null ? "(unnamed)" : worker, w -> new long[2]);
            seen[0] = Math.max(seen[0], doneMillis);
            seen[1]++;
          }
        }
      }
    }
    List<Worker> seen = new ArrayList<>();
    workers.forEach(
        (name, value) ->
            seen.add(
                new Worker(
                    name,
                    Instant.ofEpochMilli(value[0]),
                    value[1],
                    nowMillis - value[0] <= ACTIVE.toMillis())));
    seen.sort(java.util.Comparator.comparing(Worker::lastBatchAt).reversed());
    List<Long> perBucket = new ArrayList<>();
    for (long count : rows) {
      perBucket.add(count);
    }
    return new Recent(seen, perBucket);
  }
}
