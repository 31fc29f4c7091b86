package dev.datamigrations.runtime;

/** The runner suite on Postgres. */
class PostgresRunnerTest extends MigrationRunnerContract {
  private static final TestDatabase DATABASE = TestDatabase.postgres();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
