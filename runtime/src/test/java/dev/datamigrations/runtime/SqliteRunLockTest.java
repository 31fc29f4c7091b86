package dev.datamigrations.runtime;

import java.util.Arrays;
import java.util.List;

/** The run-lock suite on SQLite: the attached database main; names are case-insensitive. */
class SqliteRunLockTest extends RunLockContract {
  private static final TestDatabase DATABASE = TestDatabase.sqlite();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  List<String> schemaSpellings() {
    return Arrays.asList(null, "main", "MAIN");
  }

  @Override
  String relaxedDurabilitySql() {
    return "PRAGMA synchronous = OFF";
  }

  @Override
  boolean tableNamesIgnoreCase() {
    return true;
  }
}
