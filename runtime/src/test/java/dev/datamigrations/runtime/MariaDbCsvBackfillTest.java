package dev.datamigrations.runtime;

/** CSV backfills on MariaDb. */
class MariaDbCsvBackfillTest extends CsvBackfillContract {
  private static final TestDatabase DATABASE = TestDatabase.mariadb();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
