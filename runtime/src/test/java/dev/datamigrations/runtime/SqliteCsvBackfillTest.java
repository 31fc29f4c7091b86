package dev.datamigrations.runtime;

/** CSV backfills on Sqlite. */
class SqliteCsvBackfillTest extends CsvBackfillContract {
  private static final TestDatabase DATABASE = TestDatabase.sqlite();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
