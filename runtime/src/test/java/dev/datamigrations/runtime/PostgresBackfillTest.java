package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.Backfills;
import dev.datamigrations.runtime.backfill.HealthCheck;
import dev.datamigrations.runtime.backfill.PostgresHealthCheck;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The backfill suite on PostgreSQL, with its health check. */
class PostgresBackfillTest extends MultiWorkerBackfillContract {
  private static final TestDatabase DATABASE = TestDatabase.postgres();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Test
  void thePostgresHealthCheckSeesLongTransactions() throws Exception {
    PostgresHealthCheck strict =
        PostgresHealthCheck.withLimits(Duration.ofMillis(100), Duration.ofHours(1));
    PostgresHealthCheck lenient =
        PostgresHealthCheck.withLimits(Duration.ofHours(1), Duration.ofHours(1));
    try (Handle longTransaction = jdbi.open();
        Handle checker = jdbi.open()) {
      longTransaction.begin();
      longTransaction.createQuery("SELECT 1").mapTo(Integer.class).one();
      Thread.sleep(300);
      HealthCheck.Status status = strict.check(checker);
      assertFalse(status.healthy());
      assertTrue(status.reason().contains("transaction has been open"), status.reason());
      assertTrue(lenient.check(checker).healthy());
      longTransaction.rollback();
    }
  }

  /**
   * Least privilege: a role that is neither superuser nor a member of pg_read_all_stats
   * (pg_monitor) sees other sessions' xact_start as NULL, so the check could only ever answer
   * healthy. It must refuse instead: the backfill is not started, with the GRANT in the message;
   * check() itself answers unhealthy, saying why. Once granted, it runs and sees another session's
   * long transaction.
   */
  @Test
  void thePostgresHealthCheckRefusesARoleThatCannotSeeOtherSessions() throws Exception {
    String role = "dm_nomonitor";
    jdbi.useHandle(
        h -> {
          h.execute(
              "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '"
                  + role
                  + "') THEN"
                  + " CREATE ROLE "
                  + role
                  + " LOGIN; END IF; END $$");
          h.execute("REVOKE pg_monitor, pg_read_all_stats FROM " + role);
          h.execute("DROP SCHEMA IF EXISTS " + role + " CASCADE");
          // Its own schema: first on its search path ("$user", public), so its tables land there.
          h.execute("CREATE SCHEMA " + role + " AUTHORIZATION " + role);
        });
    Jdbi limited = Jdbi.create(db.url(), role, "");
    limited.useHandle(
        h -> {
          h.execute("CREATE TABLE nm_items (id BIGINT NOT NULL PRIMARY KEY, hits INT NOT NULL)");
          h.execute("INSERT INTO nm_items (id, hits) SELECT g, 0 FROM generate_series(1, 50) g");
        });
    MigrationRunner runner =
        BackfillRunnerBuilder.configure(limited, new BackfillCatalog("nm_items", "nm_marker", 0))
            .table("nm_hist")
            .batchSize(20)
            .healthCheck(PostgresHealthCheck.defaults())
            .build();
    try (Handle longTransaction = jdbi.open()) {
      longTransaction.begin();
      longTransaction.createQuery("SELECT 1").mapTo(Integer.class).one();
      // The premise: to this role, another user's open transaction has no start time.
      limited.useHandle(
          h ->
              assertNull(
                  h.createQuery("SELECT xact_start FROM pg_stat_activity WHERE pid = :pid")
                      .bind(
                          "pid",
                          longTransaction
                              .createQuery("SELECT pg_backend_pid()")
                              .mapTo(Integer.class)
                              .one())
                      .mapTo(java.time.OffsetDateTime.class)
                      .one()));

      DataMigrationException refused =
          assertThrows(
              DataMigrationException.class, () -> Backfills.of(runner).work(BackfillCatalog.FILL));
      assertTrue(
          refused.getMessage().contains("its health check cannot work here"), refused.getMessage());
      assertTrue(
          refused.getMessage().contains("GRANT pg_monitor TO " + role), refused.getMessage());
      assertTrue(
          Backfills.of(runner).progress(BackfillCatalog.FILL).isEmpty(),
          "the backfill was not started");
      HealthCheck.Status status = limited.withHandle(h -> PostgresHealthCheck.defaults().check(h));
      assertFalse(status.healthy(), "never silently healthy");
      assertTrue(status.reason().contains("pg_read_all_stats"), status.reason());
      // Autovacuum on the walked table is another session's activity: hidden the same way.
      assertThrows(
          IllegalStateException.class,
          () ->
              limited.useHandle(h -> PostgresHealthCheck.none().withAutovacuumOnTable().verify(h)));
      // The WAL position is not: the WAL rate alone needs no grant.
      limited.useHandle(h -> PostgresHealthCheck.none().withMaxWalRate(1L << 40).verify(h));

      jdbi.useHandle(h -> h.execute("GRANT pg_read_all_stats TO " + role));
      Thread.sleep(300);
      HealthCheck.Status seen =
          limited.withHandle(
              h ->
                  PostgresHealthCheck.withLimits(Duration.ofMillis(100), Duration.ofHours(1))
                      .check(h));
      assertFalse(seen.healthy());
      assertTrue(seen.reason().contains("transaction has been open"), seen.reason());
      longTransaction.rollback();

      assertEquals(BackfillState.DONE, Backfills.of(runner).work(BackfillCatalog.FILL).state());
      assertEquals(
          List.of(50L),
          limited.withHandle(
              h ->
                  h.createQuery("SELECT COUNT(*) FROM nm_items WHERE hits = 1")
                      .mapTo(Long.class)
                      .list()));
    } finally {
      jdbi.useHandle(
          h -> {
            h.execute("REVOKE pg_read_all_stats FROM " + role);
            h.execute("DROP SCHEMA IF EXISTS " + role + " CASCADE");
          });
    }
  }
}
