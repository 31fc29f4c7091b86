package dev.datamigrations.runtime;

/** The runner suite on MariaDb. */
class MariaDbRunnerTest extends MigrationRunnerContract {
  private static final TestDatabase DATABASE = TestDatabase.mariadb();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
