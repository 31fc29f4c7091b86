package dev.datamigrations.runtime;

/** Backfills over UUID, text and composite keys, filters and queries on H2. */
class H2KeysBackfillTest extends KeysBackfillContract {
  private static final TestDatabase DATABASE = TestDatabase.h2();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  String uuidType() {
    return "UUID";
  }
}
