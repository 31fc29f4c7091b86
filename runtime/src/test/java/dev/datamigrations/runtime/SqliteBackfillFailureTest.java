package dev.datamigrations.runtime;

/**
 * Failed batches, finalize, sub-batches on SQLite (no statement timeout: refused; no throttle:
 * refused).
 */
class SqliteBackfillFailureTest extends BackfillFailureContract {
  private static final TestDatabase DATABASE = TestDatabase.sqlite();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
