package dev.datamigrations.runtime;

/**
 * Failed batches, finalize, sub-batches, batch timeouts ({@code statement_timeout} cancelling
 * {@code pg_sleep}) and the lock-wait throttle ({@code pg_blocking_pids}) on PostgreSQL.
 */
class PostgresBackfillFailureTest extends BackfillFailureContract {
  private static final TestDatabase DATABASE = TestDatabase.postgres();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  String sleepSql(double seconds) {
    return "SELECT pg_sleep(" + seconds + ")";
  }

  @Override
  String sessionsWaitingForALockSql() {
    return "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        + " AND datname = current_database()";
  }

  @Override
  String slowFilterSql(double seconds) {
    return "(SELECT 1 FROM pg_sleep(" + seconds + ")) = 1";
  }
}
