package dev.datamigrations.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.BackfillListener;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.Backfills;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.HealthCheck;
import dev.datamigrations.runtime.backfill.KeyRange;
import dev.datamigrations.runtime.backfill.PostgresHealthCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * {@link PostgresHealthCheck}'s autovacuum and WAL-rate signals on real servers: a real autovacuum
 * worker on the walked table (in a cluster of the test's own, since the shared server runs with
 * autovacuum off), real WAL written by another session, and a real server in recovery for the WAL
 * rate's refusal. Waits are on conditions.
 */
class PostgresHealthCheckSignalsTest {
  private static final TestDatabase DATABASE = TestDatabase.postgres();
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  /** The backfill of the autovacuum test: adds 1 to {@code hits} of each batch's rows. */
  static final class CountHits implements Backfill {
    final KeyRange keys;

    CountHits(KeyRange keys) {
      this.keys = keys;
    }

    @Override
    public KeyRange keys() {
      return keys;
    }

    @Override
    public void process(Handle handle, Batch batch) {
      handle
          .createUpdate("UPDATE " + keys.table() + " SET hits = hits + 1 WHERE " + keys.condition())
          .bindMap(batch.parameters())
          .execute();
    }
  }

  /**
   * Autovacuum made to run on the walked table (per-table thresholds of zero after an update of
   * every row, and a cost limit that keeps it working for many seconds) makes the check answer
   * unhealthy naming the table, and a backfill over that table back off without running a batch;
   * the same check without the signal, or asked without knowing the walked table, answers healthy.
   * Once the autovacuum is gone (an {@code ALTER TABLE} cancels it and turns it off for the table),
   * the backfill runs to the end.
   */
  @Test
  void autovacuumOnTheWalkedTableMakesTheCheckUnhealthyAndTheBackfillBackOff() throws Exception {
    try (PostgresScratchCluster cluster =
        PostgresScratchCluster.start(
            DATABASE, "autovacuum = on", "autovacuum_naptime = 1", "deadlock_timeout = 200ms")) {
      Jdbi jdbi = cluster.jdbi();
      jdbi.useHandle(
          h -> {
            h.execute(
                "CREATE TABLE av_items (id BIGINT NOT NULL PRIMARY KEY, hits INT NOT NULL)"
                    + " WITH (autovacuum_enabled = false)");
            h.execute("INSERT INTO av_items SELECT g, 0 FROM generate_series(1, 20000) g");
            h.execute("UPDATE av_items SET hits = 0");
            h.execute(
                "ALTER TABLE av_items SET (autovacuum_enabled = true, autovacuum_vacuum_threshold = 0,"
                    + " autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_cost_delay = 100,"
                    + " autovacuum_vacuum_cost_limit = 1)");
          });
      KeyRange walked = KeyRange.of("av_items", "id");
      PostgresHealthCheck check = PostgresHealthCheck.defaults().withAutovacuumOnTable();
      HealthCheck.Context context =
          new HealthCheck.Context(
              new MigrationDescriptor(
                  OneBackfillCatalog.VERSION,
                  "Collection",
                  "test.Collection",
                  false,
                  true,
                  MigrationKind.BACKFILL),
              Optional.of(walked));
      try (Handle checker = jdbi.open()) {
        check.verify(checker);
        HealthCheck.Status unhealthy =
            await()
                .atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> check.check(checker, context), s -> !s.healthy());
        assertTrue(
            unhealthy
                .reason()
                .matches(
                    "autovacuum \\(pid \\d+, [a-z ]+\\) is vacuuming the walked table av_items:"
                        + " autovacuum: VACUUM.*av_items.*"),
            unhealthy.reason());
        assertTrue(
            PostgresHealthCheck.defaults().check(checker, context).healthy(),
            "without the signal, autovacuum is no reason to back off");
        assertTrue(check.check(checker).healthy(), "without a walked table it does not apply");
      }

      List<String> reasons = new CopyOnWriteArrayList<>();
      BackfillListener listener =
          new BackfillListener() {
            @Override
            public void backfillThrottled(
                MigrationDescriptor backfill, String reason, Duration wait) {
              reasons.add(reason);
            }
          };
      MigrationRunner runner =
          BackfillRunnerBuilder.configure(jdbi, new OneBackfillCatalog(new CountHits(walked)))
              .table("av_hist")
              .batchSize(5000)
              .pollInterval(Duration.ofMillis(20))
              .healthCheck(check, Duration.ofMillis(200))
              .backfills(b -> b.listener(listener))
              .build();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      Thread migrate =
          new Thread(
              () -> {
                try {
                  runner.migrate();
                } catch (Throwable t) {
                  failed.set(t);
                }
              });
      migrate.start();
      await()
          .atMost(PATIENCE)
          .until(() -> reasons.stream().anyMatch(r -> r.contains("vacuuming the walked table")));
      assertEquals(Map.of(0, 20000), hits(jdbi), "no batch ran while autovacuum worked on it");
      assertEquals(
          0, Backfills.of(runner).progress(OneBackfillCatalog.VERSION).orElseThrow().batchesDone());

      // Waits for the autovacuum's lock, cancels it (deadlock_timeout later), turns it off.
      jdbi.useHandle(h -> h.execute("ALTER TABLE av_items SET (autovacuum_enabled = false)"));
      migrate.join(PATIENCE.toMillis());
      assertFalse(migrate.isAlive());
      assertEquals(null, failed.get());
      assertEquals(Map.of(1, 20000), hits(jdbi), "every row exactly once");
      assertEquals(
          BackfillState.DONE,
          Backfills.of(runner).progress(OneBackfillCatalog.VERSION).orElseThrow().state());
    }
  }

  private static Map<Integer, Integer> hits(Jdbi jdbi) {
    Map<Integer, Integer> hits = new TreeMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery("SELECT hits, COUNT(*) FROM av_items GROUP BY hits")
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getInt(2)))
                .forEach(e -> hits.put(e.getKey(), e.getValue())));
    return hits;
  }

  /**
   * The first check has no rate and answers healthy. While another session writes WAL (rows of 500
   * bytes, continuously), a check limited to 4 MB/s backs off with the measured rate in its reason,
   * and at the same moment a check limited to 4 GB/s, measuring over the same interval, answers
   * healthy. (The shared test server has other sessions writing WAL too: they can only add to the
   * rate, so a quiet spell is not waited for.)
   */
  @Test
  void walWrittenFasterThanTheLimitMakesTheCheckUnhealthyAndBelowItHealthy() {
    DATABASE.assumeReachable();
    Jdbi jdbi = DATABASE.jdbi();
    long limit = 4L * 1024 * 1024;
    PostgresHealthCheck strict = PostgresHealthCheck.none().withMaxWalRate(limit);
    PostgresHealthCheck lenient = PostgresHealthCheck.none().withMaxWalRate(limit * 1024);
    try (Handle checker = jdbi.open();
        Handle writer = jdbi.open()) {
      writer.execute("DROP TABLE IF EXISTS wal_rate_rows");
      writer.execute("CREATE TABLE wal_rate_rows (id BIGINT NOT NULL, pad TEXT NOT NULL)");
      strict.verify(checker);
      assertEquals(HealthCheck.Status.HEALTHY, strict.check(checker), "no rate at the first check");
      assertEquals(HealthCheck.Status.HEALTHY, lenient.check(checker));

      HealthCheck.Status[] both =
          await()
              .atMost(PATIENCE)
              .pollInterval(Duration.ofMillis(1))
              .until(
                  () -> {
                    writer.execute(
                        "INSERT INTO wal_rate_rows SELECT g, repeat('x', 500)"
                            + " FROM generate_series(1, 20000) g");
                    return new HealthCheck.Status[] {strict.check(checker), lenient.check(checker)};
                  },
                  s -> !s[0].healthy());
      String reason = both[0].reason();
      assertTrue(
          reason.matches("WAL is written at [\\d,]+ bytes/s \\(limit 4,194,304 bytes/s\\)"),
          reason);
      long rate =
          Long.parseLong(
              reason.replaceAll("^WAL is written at ([\\d,]+) .*$", "$1").replace(",", ""));
      assertTrue(rate > limit && rate < limit * 1024, reason);
      assertEquals(HealthCheck.Status.HEALTHY, both[1], "below its limit over the same interval");
    } finally {
      jdbi.useHandle(h -> h.execute("DROP TABLE IF EXISTS wal_rate_rows"));
    }
  }

  /**
   * On a standby, {@code pg_current_wal_lsn()} is refused: the check refuses to start there and
   * answers unhealthy, saying why; the session signals alone still work there. (A cluster in
   * recovery of its own: a streaming replica of the shared server can lose its WAL to the other
   * sessions' load before it starts streaming.)
   */
  @Test
  void theWalRateIsRefusedOnAStandby() throws Exception {
    try (PostgresScratchCluster cluster = PostgresScratchCluster.startStandby(DATABASE);
        Handle standby = cluster.jdbi().open()) {
      assertTrue(
          standby.createQuery("SELECT pg_is_in_recovery()").mapTo(Boolean.class).one(),
          "the premise: a server in recovery");
      PostgresHealthCheck check = PostgresHealthCheck.defaults().withMaxWalRate(1 << 20);
      IllegalStateException refused =
          assertThrows(IllegalStateException.class, () -> check.verify(standby));
      assertTrue(refused.getMessage().contains("it is a standby"), refused.getMessage());
      assertTrue(refused.getMessage().contains("remove withMaxWalRate"), refused.getMessage());
      HealthCheck.Status status = check.check(standby);
      assertFalse(status.healthy());
      assertEquals(refused.getMessage(), status.reason());
      PostgresHealthCheck.defaults().verify(standby);
      assertTrue(PostgresHealthCheck.defaults().check(standby).healthy());
    }
  }
}
