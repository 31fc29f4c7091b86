package dev.datamigrations.runtime;

/** Checksums, marks and the history table's upgrade on Postgres. */
class PostgresHistoryVerbsTest extends HistoryVerbsContract {
  private static final TestDatabase DATABASE = TestDatabase.postgres();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
