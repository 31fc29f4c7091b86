package dev.datamigrations.runtime.backfill;

import java.time.Duration;
import java.util.Objects;
import org.jdbi.v3.core.Handle;

/**
 * PostgreSQL's health check: backs off while another session has a transaction open longer than
 * {@code maxTransactionAge} (long transactions hold back vacuum, so a backfill's dead rows pile up)
 * or a replica replays more than {@code maxReplicationLag} behind ({@code
 * pg_stat_replication.replay_lag}).
 *
 * <p>Both views show other sessions only to a superuser or a member of {@code pg_read_all_stats}
 * (which {@code pg_monitor} includes); to anyone else their {@code xact_start} and {@code
 * replay_lag} read as NULL, and the check would always answer healthy. So it fails closed: {@link
 * #verify} refuses to start a backfill with it for a role without that visibility (the message says
 * {@code GRANT pg_monitor TO <role>}), and {@link #check} answers unhealthy, saying why, if the
 * visibility is lost later.
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
  private static final String VISIBILITY =
      "SELECT current_user, current_setting('is_superuser') = 'on' OR pg_has_role('pg_read_all_stats', 'USAGE')";
  private static final String REPLICATION_LAG =
      "SELECT COALESCE(MAX(EXTRACT(EPOCH FROM replay_lag)), 0) FROM pg_stat_replication";

  private final Duration maxTransactionAge;
  private final Duration maxReplicationLag;

  private PostgresHealthCheck(Duration maxTransactionAge, Duration maxReplicationLag) {
    this.maxTransactionAge = Objects.requireNonNull(maxTransactionAge, "maxTransactionAge");
    this.maxReplicationLag = Objects.requireNonNull(maxReplicationLag, "maxReplicationLag");
  }

  /** Returns a check with the given limits. */
  public static PostgresHealthCheck withLimits(
      Duration maxTransactionAge, Duration maxReplicationLag) {
    return new PostgresHealthCheck(maxTransactionAge, maxReplicationLag);
  }

  /**
   * Returns a check that backs off on transactions older than 10 minutes or replication lag over 30
   * s.
   */
  public static PostgresHealthCheck defaults() {
    return withLimits(Duration.ofMinutes(10), Duration.ofSeconds(30));
  }

  /**
   * Throws {@link IllegalStateException} if the connection's role cannot see other sessions'
   * activity (neither superuser nor a member of {@code pg_read_all_stats} or {@code pg_monitor}).
   */
  @Override
  public void verify(Handle handle) {
    String blind = blindness(handle);
    if (blind != null) {
      throw new IllegalStateException(blind);
    }
  }

  /** Returns why this session cannot see other sessions' activity, or null if it can. */
  private static String blindness(Handle handle) {
    Object[] row =
        handle
            .createQuery(VISIBILITY)
            .map((rows, ctx) -> new Object[] {rows.getString(1), rows.getBoolean(2)})
            .one();
    if ((Boolean) row[1]) {
      return null;
    }
    return "PostgresHealthCheck cannot see other sessions' transactions nor replication lag: role "
        + row[0]
        + " is neither superuser nor a member of pg_read_all_stats, so pg_stat_activity and pg_stat_replication"
        + " hide them and the check would always answer healthy. Grant it (GRANT pg_monitor TO "
        + row[0]
        + "), or remove the health check.";
  }

  /**
   * Answers unhealthy if this session cannot see other sessions' activity (see {@link #verify}).
   */
  @Override
  public Status check(Handle handle) {
    String blind = blindness(handle);
    if (blind != null) {
      return Status.unhealthy(blind);
    }
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
