package dev.datamigrations.runtime;

import java.util.Arrays;
import java.util.List;

/** The run-lock suite on MariaDB: the database as schema; table names are case-sensitive here (lower_case_table_names=0), so only the schema varies. */
class MariaDbRunLockTest extends RunLockContract {
  private static final TestDatabase DATABASE = TestDatabase.mariadb();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  List<String> schemaSpellings() {
    return Arrays.asList(null, TestDatabase.database("MARIADB"));
  }

  @Override
  boolean tableNamesIgnoreCase() {
    return false;
  }

  @Override
  boolean lockNeedsSecondConnection() {
    return false;
  }

  @Override
  void killLockSession(org.jdbi.v3.core.Handle admin, String history) {
    Long holder =
        admin.createQuery("SELECT IS_USED_LOCK(?)")
            .bind(0, ("datamigrations:" + TestDatabase.database("MARIADB") + "." + history).toLowerCase(java.util.Locale.ROOT))
            .mapTo(Long.class)
            .one();
    org.junit.jupiter.api.Assertions.assertNotNull(holder, "no session holds the named lock");
    admin.execute("KILL CONNECTION " + holder);
  }
}
