package dev.datamigrations.runtime;

/** The backfill suite on MariaDb. */
class MariaDbBackfillTest extends MultiWorkerBackfillContract {
  private static final TestDatabase DATABASE = TestDatabase.mariadb();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
