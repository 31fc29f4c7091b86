package dev.datamigrations.benchmarks.live;

import java.util.Arrays;
import java.util.List;

/**
 * pgbench's figures for one time window (a change running, or the measured part of the "alone"
 * phase).
 *
 * <p>Throughput counts the successful transactions that <em>ended</em> inside the window.
 * Latencies, failures and retries are over the transactions that <em>overlapped</em> it (ended
 * after it began and began before it ended): that includes the transactions a change kept waiting
 * and released at its very end, whose wait is the point.
 *
 * @param seconds the window's length
 * @param ended successful transactions that ended in the window
 * @param overlapping successful transactions that overlapped it
 * @param p50Millis median latency of {@code overlapping}
 * @param p99Millis 99th percentile (nearest rank)
 * @param maxMillis the longest
 * @param failed failed transactions (any reason) that ended in the window or just after
 *     (overlapping)
 * @param retried transactions that needed at least one retry (overlapping)
 */
record WindowStats(
    double seconds,
    long ended,
    long overlapping,
    double p50Millis,
    double p99Millis,
    double maxMillis,
    long failed,
    long retried) {

  static WindowStats of(List<Transaction> transactions, long fromMicros, long toMicros) {
    long ended = 0;
    long failed = 0;
    long retried = 0;
    long[] latencies = new long[transactions.size()];
    int n = 0;
    for (Transaction t : transactions) {
      boolean overlaps = t.endMicros() >= fromMicros && t.startMicros() <= toMicros;
      if (!overlaps) {
        continue;
      }
      if (t.failed()) {
        failed++;
        continue;
      }
      if (t.retries() > 0) {
        retried++;
      }
      latencies[n++] = t.latencyMicros();
      if (t.endMicros() <= toMicros) {
        ended++;
      }
    }
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    return new WindowStats(
        (toMicros - fromMicros) / 1e6,
        ended,
        n,
        rank(sorted, 0.50),
        rank(sorted, 0.99),
        n == 0 ? Double.NaN : sorted[n - 1] / 1000.0,
        failed,
        retried);
  }

  double tps() {
    return ended / seconds;
  }

  private static double rank(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1000.0;
  }
}
