package dev.datamigrations.runtime;

/**
 * The dry-run suite on MariaDB with {@code allowMultiQueries=true}: one JDBC string may hold
 * several statements, each with an update count of its own.
 */
class MariaDbMultiQueriesDryRunTest extends DryRunContract {
  private static final TestDatabase MARIADB = TestDatabase.mariadb();
  private static final TestDatabase DATABASE =
      new TestDatabase(
          "MariaDB (allowMultiQueries)",
          MARIADB.url() + "&allowMultiQueries=true",
          MARIADB.user(),
          MARIADB.password(),
          MARIADB.quote());

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  boolean commitsDdlImplicitly() {
    return true;
  }

  @Override
  boolean runsSeveralStatementsInOneString() {
    return true;
  }
}
