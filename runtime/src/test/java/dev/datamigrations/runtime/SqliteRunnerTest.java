package dev.datamigrations.runtime;

/** The runner suite on Sqlite. */
class SqliteRunnerTest extends MigrationRunnerContract {
  private static final TestDatabase DATABASE = TestDatabase.sqlite();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
