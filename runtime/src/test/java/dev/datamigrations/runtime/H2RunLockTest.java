package dev.datamigrations.runtime;

import java.util.Arrays;
import java.util.List;

/** The run-lock suite on H2: schema PUBLIC, names folded to upper case. */
class H2RunLockTest extends RunLockContract {
  private static final TestDatabase DATABASE = TestDatabase.h2();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  List<String> schemaSpellings() {
    return Arrays.asList(null, "PUBLIC", "public");
  }

  @Override
  boolean tableNamesIgnoreCase() {
    return true;
  }

  @Override
  boolean lockNeedsSecondConnection() {
    return true;
  }

  @Override
  void killLockSession(org.jdbi.v3.core.Handle admin, String history) {
    // The lock session is the one with uncommitted work: its SELECT ... FOR UPDATE; migration 2 has
    // written nothing.
    java.util.List<Integer> sessions =
        admin
            .createQuery(
                "SELECT SESSION_ID FROM INFORMATION_SCHEMA.SESSIONS WHERE CONTAINS_UNCOMMITTED")
            .mapTo(Integer.class)
            .list();
    org.junit.jupiter.api.Assertions.assertEquals(
        1, sessions.size(), "sessions holding locks: " + sessions);
    admin
        .createQuery("SELECT ABORT_SESSION(?)")
        .bind(0, sessions.get(0))
        .mapTo(Boolean.class)
        .one();
  }
}
