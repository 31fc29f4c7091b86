package dev.datamigrations.runtime;

/** CSV backfills on H2. */
class H2CsvBackfillTest extends CsvBackfillContract {
  private static final TestDatabase DATABASE = TestDatabase.h2();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
