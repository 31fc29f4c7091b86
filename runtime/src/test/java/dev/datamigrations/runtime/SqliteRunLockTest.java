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

  @Override
  boolean lockNeedsSecondConnection() {
    return false;
  }

  @Override
  void killLockSession(org.jdbi.v3.core.Handle admin, String history) {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        false,
        "SKIPPED on SQLite: its run lock is a file lock of this process, which cannot be lost while the run lives");
  }
}
