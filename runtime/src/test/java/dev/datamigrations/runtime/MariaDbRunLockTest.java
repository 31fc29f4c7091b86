package dev.datamigrations.runtime;

import java.util.Arrays;
import java.util.List;

/**
 * The run-lock suite on MariaDB: the database as schema; table names are case-sensitive here
 * (lower_case_table_names=0), so only the schema varies.
 */
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
        admin
            .createQuery("SELECT IS_USED_LOCK(?)")
            .bind(
                0,
                ("datamigrations:" + TestDatabase.database("MARIADB") + "." + history)
                    .toLowerCase(java.util.Locale.ROOT))
            .mapTo(Long.class)
            .one();
    org.junit.jupiter.api.Assertions.assertNotNull(holder, "no session holds the named lock");
    admin.execute("KILL CONNECTION " + holder);
    // KILL returns before the session ends: wait until the server has released its lock.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (holder.equals(
        admin
            .createQuery("SELECT IS_USED_LOCK(?)")
            .bind(
                0,
                ("datamigrations:" + TestDatabase.database("MARIADB") + "." + history)
                    .toLowerCase(java.util.Locale.ROOT))
            .mapTo(Long.class)
            .findOne()
            .orElse(null))) {
      org.junit.jupiter.api.Assertions.assertTrue(
          System.nanoTime() < deadline, "session " + holder + " outlived KILL");
      Thread.onSpinWait();
    }
  }

  /**
   * What MySQL Connector/J's {@code autoReconnect} does behind the runner's back: the run goes on
   * in a session that does not hold the named lock. Simulated by releasing the lock inside a
   * migration: the runner checks before each commit, so a transactional migration is rolled back; a
   * non-transactional one keeps what it committed, gets no history row, and the message says so.
   */
  @org.junit.jupiter.api.Test
  void aSessionWithoutTheNamedLockCommitsNothing() {
    String name =
        ("datamigrations:" + TestDatabase.database("MARIADB") + "." + history)
            .toLowerCase(java.util.Locale.ROOT);
    java.util.function.Consumer<org.jdbi.v3.core.Handle> release =
        h -> h.createQuery("SELECT RELEASE_LOCK(?)").bind(0, name).mapTo(Integer.class).one();
    for (boolean transactional : new boolean[] {true, false}) {
      TestCatalog catalog =
          TestCatalog.builder()
              .add(1, "test.M1", true, add(1, 1), add(1, -1))
              .add(
                  2,
                  "test.M2",
                  transactional,
                  h -> {
                    add(2, 1).accept(h);
                    release.accept(h);
                  },
                  add(2, -1))
              .add(3, "test.M3", true, add(3, 1), add(3, -1))
              .build();
      MigrationFailedException failure =
          org.junit.jupiter.api.Assertions.assertThrows(
              MigrationFailedException.class,
              () ->
                  runner(catalog, new String[] {null, history}, java.time.Duration.ofSeconds(10))
                      .migrate());
      org.junit.jupiter.api.Assertions.assertTrue(
          failure.getCause() instanceof MigrationLockException, failure.getMessage());
      org.junit.jupiter.api.Assertions.assertEquals(2L, failure.migration().version());
      org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of(1L), applied());
      if (transactional) {
        org.junit.jupiter.api.Assertions.assertEquals(
            RollbackOutcome.ROLLED_BACK, failure.outcome(), failure.getMessage());
        assertEffectsMatchHistory("after a transactional migration ran without the lock");
      } else {
        org.junit.jupiter.api.Assertions.assertEquals(
            RollbackOutcome.NOT_ROLLED_BACK, failure.outcome(), failure.getMessage());
        org.junit.jupiter.api.Assertions.assertEquals(
            java.util.Map.of(1L, 1, 2L, 1, 3L, 0, 4L, 0, 5L, 0, 6L, 0), counts());
      }
      runner(catalog, new String[] {null, history}, java.time.Duration.ofSeconds(10)).down(1);
      jdbi.useHandle(h -> h.execute("UPDATE " + counter + " SET n = 0"));
    }
  }
}
