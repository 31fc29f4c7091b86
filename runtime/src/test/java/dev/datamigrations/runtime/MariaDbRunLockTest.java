package dev.datamigrations.runtime;

import java.util.Arrays;
import java.util.List;

/** The run-lock suite on MariaDB: the database as schema; table names are case-sensitive here (lower_case_table_names=0), so only the schema varies. */
class MariaDbRunLockTest extends RunLockContract {
  private static final TestDatabase DATABASE = TestDatabase.mariadb();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  List<String> schemaSpellings() {
    return Arrays.asList(null, TestDatabase.database("MARIADB"));
  }

  @Override
  boolean tableNamesIgnoreCase() {
    return false;
  }
}
