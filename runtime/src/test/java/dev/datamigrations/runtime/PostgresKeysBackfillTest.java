package dev.datamigrations.runtime;

/** Backfills over UUID, text and composite keys, filters and queries on Postgres. */
class PostgresKeysBackfillTest extends KeysBackfillContract {
  private static final TestDatabase DATABASE = TestDatabase.postgres();

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
  boolean partialIndexes() {
    return true;
  }

  @Override
  boolean expressionIndexes() {
    return true;
  }
}
