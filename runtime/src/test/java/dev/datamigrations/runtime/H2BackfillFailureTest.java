package dev.datamigrations.runtime;

/**
 * Failed batches, finalize, sub-batches on H2 (no throttle). H2 has no sleep a statement timeout
 * cancels; the timeout splits of composite and text keys run a sum over a huge {@code
 * SYSTEM_RANGE}, which its {@code QUERY_TIMEOUT} cancels.
 */
class H2BackfillFailureTest extends BackfillFailureContract {
  private static final TestDatabase DATABASE = TestDatabase.h2();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  String runUntilCancelledSql() {
    return "SELECT SUM(X) FROM SYSTEM_RANGE(1, 100000000000)";
  }
}
