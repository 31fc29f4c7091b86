package dev.datamigrations.runtime;

import java.time.Duration;
import java.util.Objects;
import org.jdbi.v3.core.Handle;

/**
 * PostgreSQL's health check: backs off while another session has a transaction open longer than
 * {@code maxTransactionAge} (long transactions hold back vacuum, so a backfill's dead rows pile up) or a replica
 * replays more than {@code maxReplicationLag} behind ({@code pg_stat_replication.replay_lag}).
 *
 * <pre>{@code
 * MigrationRegistry.configure(jdbi)
 *     .healthCheck(PostgresHealthCheck.withLimits(Duration.ofMinutes(5), Duration.ofSeconds(10)))
 *     .build();
 * }</pre>
 */
public final class PostgresHealthCheck implements HealthCheck {
  private static final String OLDEST_TRANSACTION =
      "SELECT COALESCE(MAX(EXTRACT(EPOCH FROM (clock_timestamp() - xact_start))), 0) FROM pg_stat_activity"
          + " WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
          + " AND state <> 'idle'";
  private static final String REPLICATION_LAG =
      "SELECT COALESCE(MAX(EXTRACT(EPOCH FROM replay_lag)), 0) FROM pg_stat_replication";

  private final Duration maxTransactionAge;
  private final Duration maxReplicationLag;

  private PostgresHealthCheck(Duration maxTransactionAge, Duration maxReplicationLag) {
    this.maxTransactionAge = Objects.requireNonNull(maxTransactionAge, "maxTransactionAge");
    this.maxReplicationLag = Objects.requireNonNull(maxReplicationLag, "maxReplicationLag");
  }

  /** Returns a check with the given limits. */
  public static PostgresHealthCheck withLimits(Duration maxTransactionAge, Duration maxReplicationLag) {
    return new PostgresHealthCheck(maxTransactionAge, maxReplicationLag);
  }

  /** Returns a check that backs off on transactions older than 10 minutes or replication lag over 30 s. */
  public static PostgresHealthCheck defaults() {
    return withLimits(Duration.ofMinutes(10), Duration.ofSeconds(30));
  }

  @Override
  public Status check(Handle handle) {
    double oldest = handle.createQuery(OLDEST_TRANSACTION).mapTo(Double.class).one();
    if (oldest * 1000 > maxTransactionAge.toMillis()) {
      return Status.unhealthy(
          String.format(
              java.util.Locale.ROOT,
              "a transaction has been open for %.1f s (limit %d ms)",
              oldest,
              maxTransactionAge.toMillis()));
    }
    double lag = handle.createQuery(REPLICATION_LAG).mapTo(Double.class).one();
    if (lag * 1000 > maxReplicationLag.toMillis()) {
      return Status.unhealthy(
          String.format(
              java.util.Locale.ROOT,
              "a replica replays %.1f s behind (limit %d ms)",
              lag,
              maxReplicationLag.toMillis()));
    }
    return Status.HEALTHY;
  }
}
