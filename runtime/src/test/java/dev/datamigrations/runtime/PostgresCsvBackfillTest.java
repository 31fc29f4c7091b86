package dev.datamigrations.runtime;

/** CSV backfills on Postgres. */
class PostgresCsvBackfillTest extends CsvBackfillContract {
  private static final TestDatabase DATABASE = TestDatabase.postgres();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
