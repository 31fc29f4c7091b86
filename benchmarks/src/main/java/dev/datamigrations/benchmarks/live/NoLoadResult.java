package dev.datamigrations.benchmarks.live;

/**
 * One variant of the no-load comparison.
 *
 * @param rows rows changed
 * @param variant "plain UPDATE" or "backfill, N workers"
 * @param seconds how long it took
 * @param longestLockMillis the longest time row locks were held: the statement for the plain
 *     UPDATE, the longest batch transaction (claim to commit, from the backfill's own progress) for
 *     a backfill
 * @param nullsLeft rows still NULL afterwards (0 when complete)
 */
record NoLoadResult(
    long rows, String variant, double seconds, double longestLockMillis, long nullsLeft) {
  double rowsPerSecond() {
    return rows / seconds;
  }
}
