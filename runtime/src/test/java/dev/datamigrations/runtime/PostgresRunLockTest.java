package dev.datamigrations.runtime;

import java.util.Arrays;
import java.util.List;

/**
 * The run-lock suite on PostgreSQL: schema public (the current_schema()), names folded to lower
 * case.
 */
class PostgresRunLockTest extends RunLockContract {
  private static final TestDatabase DATABASE = TestDatabase.postgres();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  List<String> schemaSpellings() {
    return Arrays.asList(null, "public", "PUBLIC");
  }

  @Override
  String relaxedDurabilitySql() {
    return "SET synchronous_commit = off";
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
    int killed =
        admin
            .createQuery(
                "SELECT COUNT(pg_terminate_backend(pid, 10000)) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
            .mapTo(Integer.class)
            .one();
    org.junit.jupiter.api.Assertions.assertEquals(1, killed, "sessions holding an advisory lock");
  }
}
