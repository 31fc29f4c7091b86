package dev.datamigrations.runtime;

/** The runner suite on H2. */
class H2RunnerTest extends MigrationRunnerContract {
  private static final TestDatabase DATABASE = TestDatabase.h2();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
