package dev.datamigrations.runtime;

import java.util.List;

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

  @Override
  List<String> enumerationTypes() {
    return List.of("ENUM('zeta', 'alpha', 'mid')");
  }
}
