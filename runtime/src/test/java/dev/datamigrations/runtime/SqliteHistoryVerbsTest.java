package dev.datamigrations.runtime;

/** Checksums, marks and the history table's upgrade on Sqlite. */
class SqliteHistoryVerbsTest extends HistoryVerbsContract {
  private static final TestDatabase DATABASE = TestDatabase.sqlite();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
