package dev.datamigrations.runtime;

import java.util.Arrays;
import java.util.List;

/** The run-lock suite on PostgreSQL: schema public (the current_schema()), names folded to lower case. */
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
}
