package dev.datamigrations.benchmarks.live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads pgbench's per-transaction logs (one file per thread, {@code PREFIX.PID} and {@code
 * PREFIX.PID.N}). Each line is {@code client_id transaction_no time script_no time_epoch time_us
 * [schedule_lag] [retries]}: {@code time} is the latency in microseconds, or {@code failed} /
 * {@code serialization} / {@code deadlock} / {@code skipped}; {@code time_epoch time_us} is when
 * the transaction ended; {@code schedule_lag} is there only with {@code --rate} (not used here),
 * {@code retries} only with {@code --max-tries} other than 1.
 */
final class PgbenchLog {
  private PgbenchLog() {}

  /**
   * Returns the transactions of every log file; {@code withRetries} says whether the lines end with
   * the retries column. A line cut short (pgbench was stopped while writing it) is skipped.
   */
  static List<Transaction> read(List<Path> files, boolean withRetries) {
    List<Transaction> transactions = new ArrayList<>();
    for (Path file : files) {
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          Transaction transaction = parse(line, withRetries);
          if (transaction != null) {
            transactions.add(transaction);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read pgbench's log " + file, e);
      }
    }
    return transactions;
  }

  /** Returns the line's transaction, or null if the line is incomplete. */
  static Transaction parse(String line, boolean withRetries) {
    String[] fields = line.trim().split("\\s+");
    int expected = withRetries ? 7 : 6;
    if (fields.length != expected) {
      return null;
    }
    try {
      long end = Long.parseLong(fields[4]) * 1_000_000L + Long.parseLong(fields[5]);
      int retries = withRetries ? Integer.parseInt(fields[6]) : 0;
      String time = fields[2];
      if (time.chars().allMatch(Character::isDigit)) {
        return new Transaction(end, Long.parseLong(time), null, retries);
      }
      return new Transaction(end, -1, time, retries);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
