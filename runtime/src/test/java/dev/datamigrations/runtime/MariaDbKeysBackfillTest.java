package dev.datamigrations.runtime;

/** Backfills over UUID, text and composite keys, filters and queries on MariaDb. */
class MariaDbKeysBackfillTest extends KeysBackfillContract {
  private static final TestDatabase DATABASE = TestDatabase.mariadb();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  String uuidType() {
    return "UUID";
  }

  @Override
  int workers() {
    return 4;
  }

  @Override
  String uuidParameter() {
    return "?";
  }
}
