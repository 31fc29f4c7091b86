package dev.datamigrations.runtime;

/** The backfill suite on Sqlite. */
class SqliteBackfillTest extends BackfillContract {
  private static final TestDatabase DATABASE = TestDatabase.sqlite();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
