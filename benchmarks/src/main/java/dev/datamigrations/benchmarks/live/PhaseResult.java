package dev.datamigrations.benchmarks.live;

/**
 * One phase under pgbench's load.
 *
 * @param name what ran next to pgbench
 * @param changeSeconds how long the change took; NaN for pgbench alone
 * @param stats pgbench's figures while it ran (for "alone", over the measured window)
 * @param abortedClients pgbench clients that aborted on an error they do not retry
 * @param nullsLeft rows of {@code pgbench_accounts} whose new column is still NULL afterwards; -1
 *     when not checked
 * @param outcome how the change ended ("done", or the exception that stopped it)
 * @param longestBatchMillis the backfill's longest batch transaction; NaN for the others
 */
record PhaseResult(
    String name,
    double changeSeconds,
    WindowStats stats,
    long abortedClients,
    long nullsLeft,
    String outcome,
    double longestBatchMillis) {

  long pgbenchFailures() {
    return stats.failed() + abortedClients;
  }
}
