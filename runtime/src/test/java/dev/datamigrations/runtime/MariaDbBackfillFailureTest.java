package dev.datamigrations.runtime;

/**
 * Failed batches, finalize, sub-batches and batch timeouts ({@code max_statement_time} cancelling
 * {@code SLEEP}) on MariaDB; the lock-wait throttle is refused here (PostgreSQL only).
 */
class MariaDbBackfillFailureTest extends BackfillFailureContract {
  private static final TestDatabase DATABASE = TestDatabase.mariadb();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  String sleepSql(double seconds) {
    return "SELECT SLEEP(" + seconds + ")";
  }

  @Override
  String slowFilterSql(double seconds) {
    return "SLEEP(" + seconds + ") = 0";
  }
}
