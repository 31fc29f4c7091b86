package dev.datamigrations.runtime;

/** Checksums, marks and the history table's upgrade on MariaDb. */
class MariaDbHistoryVerbsTest extends HistoryVerbsContract {
  private static final TestDatabase DATABASE = TestDatabase.mariadb();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
