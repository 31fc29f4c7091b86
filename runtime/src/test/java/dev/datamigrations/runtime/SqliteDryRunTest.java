package dev.datamigrations.runtime;

/** The dry-run suite on Sqlite. */
class SqliteDryRunTest extends DryRunContract {
  private static final TestDatabase DATABASE = TestDatabase.sqlite();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  boolean commitsDdlImplicitly() {
    return false;
  }
}
