package dev.datamigrations.runtime;

/** Backfills over UUID, text and composite keys, filters and queries on Sqlite. */
class SqliteKeysBackfillTest extends KeysBackfillContract {
  private static final TestDatabase DATABASE = TestDatabase.sqlite();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  String uuidType() {
    return "TEXT";
  }

  @Override
  String uuidParameter() {
    return "?";
  }
}
