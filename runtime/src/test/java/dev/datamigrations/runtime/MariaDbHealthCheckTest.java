package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.datamigrations.runtime.backfill.*;
import dev.datamigrations.runtime.backfill.MariaDbHealthCheck;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MariaDbHealthCheck} against the real MariaDB: another connection's open transaction,
 * InnoDB's history list held back by an open snapshot, a user without the PROCESS privilege, and a
 * "replica" that is not one. The server is shared (other suites may hold transactions of their own
 * for a moment), so "healthy" is awaited, not assumed.
 */
class MariaDbHealthCheckTest {
  private static final TestDatabase DATABASE = TestDatabase.mariadb();
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private Jdbi jdbi;

  @BeforeEach
  void setUp() {
    DATABASE.assumeReachable();
    jdbi = DATABASE.jdbi();
    jdbi.useHandle(
        h -> {
          h.execute("DROP TABLE IF EXISTS hc_items");
          h.execute(
              "CREATE TABLE hc_items (id BIGINT NOT NULL PRIMARY KEY, hits INT NOT NULL) ENGINE=InnoDB");
          h.execute("INSERT INTO hc_items (id, hits) VALUES (1, 0), (2, 0), (3, 0)");
        });
  }

  @Test
  void anotherConnectionsTransactionOlderThanTheLimitMakesItUnhealthyNamingItsThreadAndAge() {
    MariaDbHealthCheck strict =
        MariaDbHealthCheck.none().withMaxTransactionAge(Duration.ofSeconds(1));
    MariaDbHealthCheck lenient =
        MariaDbHealthCheck.none().withMaxTransactionAge(Duration.ofHours(1));
    try (Handle other = jdbi.open();
        Handle checker = jdbi.open()) {
      strict.verify(checker);
      long thread = other.createQuery("SELECT CONNECTION_ID()").mapTo(Long.class).one();
      other.begin();
      other.execute("UPDATE hc_items SET hits = hits + 1 WHERE id = 1");

      HealthCheck.Status status =
          awaitStatus(
              () -> strict.check(checker),
              s -> !s.healthy() && s.reason().contains("thread " + thread + " "));
      assertTrue(
          status
              .reason()
              .matches(".*thread " + thread + " has been open for \\d+ s \\(limit 1000 ms\\).*"),
          status.reason());
      assertTrue(
          lenient.check(checker).healthy(),
          "a transaction younger than the limit is no reason to back off");

      other.rollback();
      HealthCheck.Status after =
          awaitStatus(() -> strict.check(checker), HealthCheck.Status::healthy);
      assertEquals("", after.reason());
    }
  }

  /**
   * The reason names the statement the old transaction is running, for the log and the listeners:
   * with a secret in it masked (as Redaction masks every reason the runtime stores or logs).
   */
  @Test
  void aSecretInTheOldTransactionsRunningStatementIsMaskedInTheReason() throws Exception {
    MariaDbHealthCheck strict =
        MariaDbHealthCheck.none().withMaxTransactionAge(Duration.ofSeconds(1));
    try (Handle other = jdbi.open();
        Handle checker = jdbi.open()) {
      long thread = other.createQuery("SELECT CONNECTION_ID()").mapTo(Long.class).one();
      other.begin();
      java.util.concurrent.CompletableFuture<Integer> running =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  other.execute(
                      "UPDATE hc_items SET hits = hits + 1 WHERE id = 1 AND SLEEP(6) = 0"
                          + " AND 'password=hunter2secret' IS NOT NULL"));
      try {
        HealthCheck.Status status =
            awaitStatus(
                () -> strict.check(checker),
                s -> !s.healthy() && s.reason().contains("thread " + thread + " "));
        assertTrue(status.reason().contains(", running: UPDATE hc_items"), status.reason());
        assertTrue(status.reason().contains("password=***"), status.reason());
        assertFalse(status.reason().contains("hunter2secret"), status.reason());
      } finally {
        running.get(30, java.util.concurrent.TimeUnit.SECONDS);
        other.rollback();
      }
    }
  }

  @Test
  void theChecksOwnConnectionsTransactionIsNotCounted() {
    MariaDbHealthCheck strict =
        MariaDbHealthCheck.none().withMaxTransactionAge(Duration.ofSeconds(1));
    try (Handle checker = jdbi.open()) {
      long thread = checker.createQuery("SELECT CONNECTION_ID()").mapTo(Long.class).one();
      checker.begin();
      checker.execute("UPDATE hc_items SET hits = hits + 1 WHERE id = 2");
      // Its own transaction is past the limit: InnoDB says so.
      await(
          () ->
              checker
                  .createQuery(
                      "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = :thread"
                          + " AND TIMESTAMPDIFF(SECOND, trx_started, NOW()) >= 2")
                  .bind("thread", thread)
                  .mapTo(Integer.class)
                  .one(),
          count -> count == 1);
      HealthCheck.Status status =
          awaitStatus(() -> strict.check(checker), HealthCheck.Status::healthy);
      assertFalse(status.reason().contains("thread " + thread), status.reason());
      checker.rollback();
    }
  }

  /**
   * Read from innodb_metrics, or, where its counter is off, from SHOW ENGINE INNODB STATUS. One
   * test for both: the counter is switched off server-wide for the second half, so nothing else of
   * this class may read it meanwhile.
   */
  @Test
  void aHistoryListHeldBackByAnOpenSnapshotMakesItUnhealthyFromEitherSource() {
    assertHistoryListSeen("information_schema.innodb_metrics");
    jdbi.useHandle(h -> h.execute("SET GLOBAL innodb_monitor_disable = 'trx_rseg_history_len'"));
    try {
      assertHistoryListSeen("SHOW ENGINE INNODB STATUS");
    } finally {
      jdbi.useHandle(h -> h.execute("SET GLOBAL innodb_monitor_enable = 'trx_rseg_history_len'"));
    }
  }

  private void assertHistoryListSeen(String source) {
    MariaDbHealthCheck zero = MariaDbHealthCheck.none().withMaxHistoryLength(0);
    MariaDbHealthCheck lenient = MariaDbHealthCheck.none().withMaxHistoryLength(Long.MAX_VALUE);
    try (Handle snapshot = jdbi.open();
        Handle writer = jdbi.open();
        Handle checker = jdbi.open()) {
      zero.verify(checker);
      snapshot.begin();
      snapshot.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
      snapshot.createQuery("SELECT COUNT(*) FROM hc_items").mapTo(Integer.class).one();
      // Each committed update leaves undo that purge must keep while the snapshot may still read
      // it.
      for (int i = 0; i < 5; i++) {
        writer.execute("UPDATE hc_items SET hits = hits + 1 WHERE id = 3");
      }
      HealthCheck.Status status = zero.check(checker);
      assertFalse(status.healthy(), "five updates behind an open snapshot leave a history list");
      assertTrue(
          status
              .reason()
              .matches(
                  "InnoDB's history list length is [\\d,]+ \\(limit 0; from "
                      + java.util.regex.Pattern.quote(source)
                      + "[^)]*\\): purge is behind"),
          status.reason());
      assertTrue(lenient.check(checker).healthy());
      snapshot.rollback();
    }
  }

  /**
   * Least privilege: without PROCESS, innodb_trx and the InnoDB status are refused to the user, and
   * the check could never see another transaction. It refuses to start the backfill, with the grant
   * in the message; check() answers unhealthy, saying why. Once granted, it sees another
   * connection's transaction and the backfill runs.
   */
  @Test
  void aUserWithoutTheProcessPrivilegeIsRefusedWithTheGrant() {
    String user = "dm_hc_noprocess";
    String database = TestDatabase.database("MARIADB");
    jdbi.useHandle(
        h -> {
          h.execute("DROP USER IF EXISTS '" + user + "'@'%'");
          h.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw'");
          h.execute("GRANT ALL ON `" + database + "`.* TO '" + user + "'@'%'");
          h.execute(
              "DROP TABLE IF EXISTS hc_nm_items, hc_nm_hist, hc_nm_hist_lock, hc_nm_hist_progress, hc_nm_hist_batches");
          h.execute(
              "CREATE TABLE hc_nm_items (id BIGINT NOT NULL PRIMARY KEY, hits INT NOT NULL) ENGINE=InnoDB");
          h.execute(
              "INSERT INTO hc_nm_items (id, hits) VALUES (1, 0), (2, 0), (3, 0), (4, 0), (5, 0)");
        });
    try {
      Jdbi limited = Jdbi.create(DATABASE.url(), user, "pw");
      MariaDbHealthCheck check = MariaDbHealthCheck.defaults();
      MigrationRunner runner =
          MigrationRunner.configure(limited, new BackfillCatalog("hc_nm_items", "hc_nm_marker", 0))
              .table("hc_nm_hist")
              .with(BackfillSettings.builder().batchSize(2).healthCheck(check).build())
              .build();
      Backfills backfills = Backfills.of(runner);

      IllegalStateException refused =
          assertThrows(IllegalStateException.class, () -> limited.useHandle(check::verify));
      assertTrue(
          refused.getMessage().contains("GRANT PROCESS ON *.* TO '" + user + "'@'%'"),
          refused.getMessage());
      assertTrue(refused.getMessage().contains("PROCESS privilege"), refused.getMessage());
      DataMigrationException notRun =
          assertThrows(DataMigrationException.class, () -> backfills.work(BackfillCatalog.FILL));
      assertTrue(
          notRun.getMessage().contains("its health check cannot work here"), notRun.getMessage());
      assertTrue(
          notRun.getMessage().contains("GRANT PROCESS ON *.* TO '" + user + "'@'%'"),
          notRun.getMessage());
      assertTrue(
          backfills.progress(BackfillCatalog.FILL).isEmpty(), "the backfill was not started");
      HealthCheck.Status blind = limited.withHandle(check::check);
      assertFalse(blind.healthy(), "never silently healthy");
      assertTrue(blind.reason().contains("GRANT PROCESS"), blind.reason());

      jdbi.useHandle(h -> h.execute("GRANT PROCESS ON *.* TO '" + user + "'@'%'"));
      try (Handle other = jdbi.open();
          Handle checker = limited.open()) {
        long thread = other.createQuery("SELECT CONNECTION_ID()").mapTo(Long.class).one();
        other.begin();
        other.execute("UPDATE hc_items SET hits = hits + 1 WHERE id = 1");
        MariaDbHealthCheck strict =
            MariaDbHealthCheck.none().withMaxTransactionAge(Duration.ofSeconds(1));
        strict.verify(checker);
        awaitStatus(
            () -> strict.check(checker),
            s -> !s.healthy() && s.reason().contains("thread " + thread + " "));
        other.rollback();
      }
      assertEquals(BackfillState.DONE, backfills.work(BackfillCatalog.FILL).state());
      assertEquals(
          List.of(5L),
          jdbi.withHandle(
              h ->
                  h.createQuery("SELECT COUNT(*) FROM hc_nm_items WHERE hits = 1")
                      .mapTo(Long.class)
                      .list()));
    } finally {
      jdbi.useHandle(
          h -> {
            h.execute("DROP USER IF EXISTS '" + user + "'@'%'");
            h.execute(
                "DROP TABLE IF EXISTS hc_nm_items, hc_nm_hist, hc_nm_hist_lock, hc_nm_hist_progress, hc_nm_hist_batches");
          });
    }
  }

  /**
   * A replica DataSource whose server replicates nothing could never show a delay: refused before
   * the backfill.
   */
  @Test
  void aReplicaThatIsNotReplicatingIsRefused() {
    MariaDbHealthCheck check =
        MariaDbHealthCheck.none().withReplica(DATABASE.dataSource(), Duration.ofSeconds(10));
    try (Handle handle = jdbi.open()) {
      IllegalStateException refused =
          assertThrows(IllegalStateException.class, () -> check.verify(handle));
      assertTrue(
          refused.getMessage().contains("whose server is not a replica"), refused.getMessage());
      HealthCheck.Status status = check.check(handle);
      assertFalse(status.healthy());
      assertTrue(status.reason().contains("not a replica"), status.reason());
    }
  }

  @Test
  void everySignalOffIsHealthyAndAskedLimitsAreChecked() {
    try (Handle handle = jdbi.open()) {
      assertTrue(MariaDbHealthCheck.none().check(handle).healthy());
    }
    assertThrows(
        IllegalArgumentException.class, () -> MariaDbHealthCheck.none().withMaxHistoryLength(-1));
  }

  private static HealthCheck.Status awaitStatus(
      Supplier<HealthCheck.Status> check, Predicate<HealthCheck.Status> wanted) {
    return await(check, wanted);
  }

  /** Polls until {@code wanted} holds, failing with the last value after {@link #PATIENCE}. */
  private static <T> T await(Supplier<T> value, Predicate<T> wanted) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    T last = value.get();
    while (!wanted.test(last)) {
      if (System.nanoTime() > deadline) {
        fail("still not as awaited after " + PATIENCE.toSeconds() + " s: " + last);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      last = value.get();
    }
    return last;
  }
}
