package dev.datamigrations.benchmarks.live;

/**
 * One line of pgbench's per-transaction log ({@code --log}).
 *
 * @param endMicros when it ended, microseconds since the epoch ({@code time_epoch * 1e6 + time_us})
 * @param latencyMicros its latency in microseconds; -1 when it failed
 * @param failure null when it succeeded, else pgbench's word for the failure ({@code failed},
 *     {@code serialization}, {@code deadlock}, {@code skipped})
 * @param retries how many times it was retried (0 when pgbench does not log retries)
 */
record Transaction(long endMicros, long latencyMicros, String failure, int retries) {

  boolean failed() {
    return failure != null;
  }

  /**
   * Returns when it started: its end minus its latency (its end when it failed: pgbench logs no
   * latency then).
   */
  long startMicros() {
    return latencyMicros < 0 ? endMicros : endMicros - latencyMicros;
  }
}
