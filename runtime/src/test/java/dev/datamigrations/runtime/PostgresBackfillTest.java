package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.Backfills;
import dev.datamigrations.runtime.backfill.HealthCheck;
import dev.datamigrations.runtime.backfill.LockWaitThrottle;
import dev.datamigrations.runtime.backfill.PostgresHealthCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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

  // ---- sharing the database with the application: commits that do not wait for the disk, and
  // pauses while another session of the database is busy

  @Override
  List<String> sessionSettingsQueries() {
    return List.of("SELECT current_setting('application_name')", "SHOW synchronous_commit");
  }

  /** Drops the backfill's tables and empties the items, for a second run in one test. */
  private void resetTables() {
    jdbi.useHandle(
        h -> {
          for (String suffix : List.of("", "_lock", "_progress", "_batches", "_errors")) {
            h.execute("DROP TABLE IF EXISTS " + history + suffix);
          }
          h.execute("DELETE FROM " + items);
        });
  }

  /** The batch's own transaction sees the setting; the connection keeps its own afterwards. */
  @Test
  void batchesCommitWithoutWaitingForTheDiskByDefaultAndDurablyWhenAsked() {
    insertItems(60);
    List<String> seen = new CopyOnWriteArrayList<>();
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    catalog.afterUpdate =
        (handle, batch) ->
            seen.add(
                handle
                    .createQuery("SELECT current_setting('synchronous_commit')")
                    .mapTo(String.class)
                    .one());
    configure(catalog).batchSize(20).build().migrate();
    assertEquals(List.of("off", "off", "off"), seen);
    assertEquals(Map.of(1, 60), hits());

    resetTables();
    insertItems(40);
    seen.clear();
    configure(catalog).batchSize(20).backfills(b -> b.durableBatchCommits(true)).build().migrate();
    assertEquals(List.of("on", "on"), seen);
    assertEquals(Map.of(1, 40), hits());
  }

  @Test
  void aWorkerPausesAfterEachBatchWhileAnotherSessionIsBusyAndRunsFreelyOtherwise()
      throws Exception {
    insertItems(100);
    List<Long> busy = new CopyOnWriteArrayList<>();
    List<Duration> pauses = new CopyOnWriteArrayList<>();
    List<String> workerStates = new CopyOnWriteArrayList<>();
    BackfillRunnerBuilder.Listener listener =
        new BackfillRunnerBuilder.Listener() {
          @Override
          public void backfillYielded(MigrationDescriptor backfill, long sessions, Duration pause) {
            busy.add(sessions);
            pauses.add(pause);
            // Just before the pause: the worker's session must hold no transaction (a snapshot
            // held through the pause would keep vacuum from the application's dead rows).
            workerStates.addAll(
                jdbi.withHandle(
                    h ->
                        h.createQuery(
                                "SELECT state FROM pg_stat_activity WHERE datname = current_database()"
                                    + " AND application_name LIKE 'datamigrations backfill%'")
                            .mapTo(String.class)
                            .list()));
          }
        };
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 20);

    // Nobody else is busy (the other workers are the backfill's own): no pause.
    configure(catalog).batchSize(20).workers(2).listener(listener).build().migrate();
    assertEquals(List.of(), busy);
    assertEquals(Map.of(1, 100), hits());

    // The application holds a transaction open: every batch is followed by a pause at least twice
    // as long as the batch (20 ms of sleep in each), the default multiple.
    resetTables();
    insertItems(100);
    try (Handle application = jdbi.open()) {
      application.begin();
      application.createQuery("SELECT 1").mapTo(Integer.class).one();
      configure(catalog).batchSize(20).listener(listener).build().migrate();
      application.rollback();
    }
    assertEquals(5, busy.size(), busy.toString());
    assertTrue(busy.stream().allMatch(n -> n == 1), busy.toString());
    assertEquals(List.of("idle", "idle", "idle", "idle", "idle"), workerStates);
    assertTrue(
        pauses.stream().allMatch(p -> p.compareTo(Duration.ofMillis(40)) >= 0), pauses.toString());
    assertEquals(Map.of(1, 100), hits());

    // busyPause(0) turns it off; the lock-wait throttle's multiple (6) wins over the settings' 2.
    resetTables();
    insertItems(40);
    busy.clear();
    pauses.clear();
    try (Handle application = jdbi.open()) {
      application.begin();
      application.createQuery("SELECT 1").mapTo(Integer.class).one();
      configure(catalog)
          .batchSize(20)
          .listener(listener)
          .backfills(b -> b.busyPause(0))
          .build()
          .migrate();
      assertEquals(List.of(), busy);
      resetTables();
      insertItems(40);
      configure(catalog)
          .batchSize(20)
          .listener(listener)
          .backfills(b -> b.throttle(LockWaitThrottle.defaults()))
          .build()
          .migrate();
      application.rollback();
    }
    assertEquals(2, busy.size(), busy.toString());
    assertTrue(
        pauses.stream().allMatch(p -> p.compareTo(Duration.ofMillis(120)) >= 0), pauses.toString());
  }

  /** Starts a transaction on {@code application} that stays open: a busy session. */
  private static void holdATransactionOpen(Handle application) {
    application.begin();
    application.createQuery("SELECT 1").mapTo(Integer.class).one();
  }

  /**
   * A pause after a batch lasts busyPause times the batch (here 1000 x 20 ms and more): meanwhile
   * the worker holds no batch ({@code batchesInFlight} 0: it was 1 for the whole pause), and a
   * cancel or the runner's close ends the pause instead of waiting it out (the worker slept its 20
   * s, and close gave up waiting after its 30 s for longer pauses).
   */
  @Test
  void aLongBusyPauseHoldsNoBatchAndEndsOnCancelOrClose() {
    insertItems(100);
    java.util.concurrent.atomic.AtomicInteger yields =
        new java.util.concurrent.atomic.AtomicInteger();
    BackfillRunnerBuilder.Listener listener =
        new BackfillRunnerBuilder.Listener() {
          @Override
          public void backfillYielded(MigrationDescriptor backfill, long sessions, Duration pause) {
            yields.incrementAndGet();
          }
        };
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 20);
    try (Handle application = jdbi.open()) {
      holdATransactionOpen(application);
      try (MigrationRunner runner =
          configure(catalog)
              .batchSize(20)
              .listener(listener)
              .detachBackfills(true)
              .backfills(b -> b.busyPause(1000))
              .build()) {
        runner.migrate();
        org.awaitility.Awaitility.await("the worker to pause after its first batch")
            .atMost(Duration.ofSeconds(30))
            .until(() -> yields.get() == 1);
        assertEquals(
            0,
            Backfills.of(runner).batchesInFlight(BackfillCatalog.FILL),
            "a pausing worker holds no batch");
        Backfills.of(runner).cancel(BackfillCatalog.FILL);
        assertTrue(
            Backfills.of(runner).awaitDetached(Duration.ofSeconds(5)),
            "the pausing worker stops once the backfill is cancelled");
        assertEquals(Map.of(0, 80, 1, 20), hits());
        Backfills.of(runner).resume(BackfillCatalog.FILL);
      }

      yields.set(0);
      MigrationRunner runner =
          configure(catalog)
              .batchSize(20)
              .listener(listener)
              .detachBackfills(true)
              .backfills(b -> b.busyPause(1000))
              .build();
      runner.migrate();
      org.awaitility.Awaitility.await("the worker to pause after its next batch")
          .atMost(Duration.ofSeconds(30))
          .until(() -> yields.get() == 1);
      long start = System.nanoTime();
      runner.close();
      assertTrue(Backfills.of(runner).awaitDetached(Duration.ZERO), "closed while it paused");
      assertTrue(
          Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0,
          "close did not wait out the pause");
      application.rollback();
    }
    assertEquals(Map.of(0, 60, 1, 40), hits());
  }

  /**
   * The pause after a batch is a courtesy: a listener that throws when it hears of it fails no
   * batch (the batch had committed, yet its failure was recorded, "rolled back", and with one
   * attempt allowed the backfill FAILED).
   */
  @Test
  void aListenerThatThrowsOnAYieldFailsNoBatch() {
    insertItems(40);
    BackfillRunnerBuilder.Listener listener =
        new BackfillRunnerBuilder.Listener() {
          @Override
          public void backfillYielded(MigrationDescriptor backfill, long sessions, Duration pause) {
            throw new IllegalStateException("metrics are down");
          }
        };
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    try (Handle application = jdbi.open()) {
      holdATransactionOpen(application);
      configure(catalog)
          .batchSize(20)
          .listener(listener)
          .backfills(b -> b.maxAttempts(1))
          .build()
          .migrate();
      application.rollback();
    }
    assertEquals(Map.of(1, 40), hits());
    int recorded =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT COUNT(*) FROM " + history + "_errors")
                    .mapTo(Integer.class)
                    .one());
    assertEquals(0, recorded, "no failure recorded");
  }
}
