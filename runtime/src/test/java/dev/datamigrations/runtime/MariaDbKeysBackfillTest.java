package dev.datamigrations.runtime;

import java.util.List;

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

  @Override
  List<String> enumerationTypes() {
    return List.of("ENUM('zeta', 'alpha', 'mid')", "SET('zeta', 'alpha', 'mid')");
  }
}
