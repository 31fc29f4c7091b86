package dev.datamigrations.runtime;

import org.junit.jupiter.api.Test;

/** The backfill suite on MariaDb. */
class MariaDbBackfillTest extends MultiWorkerBackfillContract {
  private static final TestDatabase DATABASE = TestDatabase.mariadb();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Test
  void anUnsignedBigintKeyIsRefused() {
    String table =
        keysTable(
            "CREATE TABLE %s (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, hits INT NOT NULL)",
            "INSERT INTO %s (id, hits) VALUES (18446744073709551615, 0)");
    assertKeyRefused(table, "id", "BIGINT UNSIGNED", "Walk a signed BIGINT column");
  }
}
