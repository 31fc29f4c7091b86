package dev.datamigrations.runtime;

/** The dry-run suite on MariaDb. */
class MariaDbDryRunTest extends DryRunContract {
  private static final TestDatabase DATABASE = TestDatabase.mariadb();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  boolean commitsDdlImplicitly() {
    return true;
  }
}
