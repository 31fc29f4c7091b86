package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.datamigrations.runtime.backfill.*;
import java.time.Duration;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * {@link PostgresHealthCheck}'s replica-lag branch against a real streaming replica ({@link
 * PostgresReplica}): while the replica applies WAL on time the check is healthy; once it applies it
 * late ({@code recovery_min_apply_delay}), the check backs off with the lag in its reason. The
 * primary is written to throughout, since {@code pg_stat_replication.replay_lag} is only measured
 * while WAL flows. The replica streams through a replication slot of its own, dropped at teardown,
 * and a slot a killed run left behind is dropped by the next setup.
 */
class PostgresReplicaLagTest {
  private static final TestDatabase DATABASE = TestDatabase.postgres();
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Duration DELAY = Duration.ofSeconds(4);

  @Test
  void aReplicaThatReplaysLateMakesTheCheckBackOffWithTheLagInItsReason() throws Exception {
    DATABASE.assumeReachable();
    Jdbi jdbi = DATABASE.jdbi();
    jdbi.useHandle(
        h -> {
          h.execute("DROP TABLE IF EXISTS replica_ticks");
          h.execute(
              "CREATE TABLE replica_ticks (id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL DEFAULT now())");
        });
    // A slot of a killed run: named after a process that is gone, inactive, reserving no WAL.
    long gone = 4_000_000L;
    while (ProcessHandle.of(gone).isPresent()) {
      gone++;
    }
    String stale = PostgresReplica.SLOT_PREFIX + gone + "_1";
    jdbi.useHandle(
        h ->
            h.createQuery("SELECT slot_name FROM pg_create_physical_replication_slot(:slot)")
                .bind("slot", stale)
                .mapTo(String.class)
                .one());
    PostgresHealthCheck check =
        PostgresHealthCheck.withLimits(Duration.ofHours(1), Duration.ofSeconds(1));
    String slot;
    try (PostgresReplica replica = PostgresReplica.start(DATABASE, Duration.ZERO);
        Handle writer = jdbi.open();
        Handle checker = jdbi.open()) {
      slot = replica.slot();
      assertEquals(null, slotActive(jdbi, stale), "the stale slot was not dropped");
      assertEquals(
          Boolean.TRUE, slotActive(jdbi, slot), "the replica does not stream via its slot");
      check.verify(checker);
      // On time: the primary measures a lag (the branch is exercised, not skipped for want of a
      // replica) under 1 s.
      await(
          writer,
          () -> jdbi.withHandle(h -> replayLagSeconds(h, replica.name())),
          lag -> lag != null && lag < 1.0);
      assertEquals(HealthCheck.Status.HEALTHY, check.check(checker));

      replica.applyDelay(DELAY);
      HealthCheck.Status late = await(writer, () -> check.check(checker), s -> !s.healthy());
      assertTrue(
          late.reason().matches("a replica replays \\d+\\.\\d s behind \\(limit 1000 ms\\)"),
          late.reason());
      // The lag grows toward the induced delay as WAL waits for it: the reason reports it, not a
      // fixed text.
      HealthCheck.Status grown =
          await(
              writer,
              () -> check.check(checker),
              s -> !s.healthy() && lagIn(s) >= DELAY.toSeconds() - 1);
      assertTrue(lagIn(grown) < DELAY.toSeconds() + 30, grown.reason());

      replica.applyDelay(Duration.ZERO);
      await(writer, () -> check.check(checker), HealthCheck.Status::healthy);
    } finally {
      jdbi.useHandle(h -> h.execute("DROP TABLE IF EXISTS replica_ticks"));
    }
    assertEquals(null, slotActive(jdbi, slot), "the replica's slot outlived it");
  }

  /** Returns whether the primary's replication slot {@code slot} is in use, null if none exists. */
  private static Boolean slotActive(Jdbi jdbi, String slot) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT active FROM pg_replication_slots WHERE slot_name = :slot")
                .bind("slot", slot)
                .mapTo(Boolean.class)
                .findOne()
                .orElse(null));
  }

  private static double lagIn(HealthCheck.Status status) {
    return Double.parseDouble(
        status.reason().replaceAll("^a replica replays (\\S+) s behind.*$", "$1"));
  }

  private static Double replayLagSeconds(Handle handle, String replica) {
    return handle
        .createQuery(
            "SELECT EXTRACT(EPOCH FROM replay_lag)::float8 FROM pg_stat_replication WHERE application_name = :name")
        .bind("name", replica)
        .mapTo(Double.class)
        .findOne()
        .orElse(null);
  }

  /**
   * Commits a row on the primary every 100 ms until {@code wanted} holds, failing after {@link
   * #PATIENCE}.
   */
  private static <T> T await(
      Handle writer, java.util.function.Supplier<T> value, Predicate<T> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    T last = value.get();
    while (!wanted.test(last)) {
      if (System.nanoTime() > deadline) {
        fail("still not as awaited after " + PATIENCE.toSeconds() + " s: " + last);
      }
      writer.execute("INSERT INTO replica_ticks DEFAULT VALUES");
      Thread.sleep(100);
      last = value.get();
    }
    return last;
  }
}
