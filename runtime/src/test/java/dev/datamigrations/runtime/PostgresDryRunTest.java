package dev.datamigrations.runtime;

/** The dry-run suite on Postgres. */
class PostgresDryRunTest extends DryRunContract {
  private static final TestDatabase DATABASE = TestDatabase.postgres();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  boolean commitsDdlImplicitly() {
    return false;
  }

  @Override
  boolean runsSeveralStatementsInOneString() {
    return true;
  }
}
