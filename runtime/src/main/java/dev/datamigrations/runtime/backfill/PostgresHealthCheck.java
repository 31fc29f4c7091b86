package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.internal.Dialect;
import dev.datamigrations.runtime.internal.TableName;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * PostgreSQL's health check: backs off while, each signal optional (GitLab's batched background
 * migrations watch the same),
 *
 * <ul>
 *   <li>another session has a transaction open longer than {@code maxTransactionAge} ({@code
 *       pg_stat_activity.xact_start}): long transactions hold back vacuum, so a backfill's dead
 *       rows pile up;
 *   <li>a replica replays more than {@code maxReplicationLag} behind ({@code
 *       pg_stat_replication.replay_lag});
 *   <li>autovacuum is vacuuming the table the backfill walks ({@link #withAutovacuumOnTable()}:
 *       {@code pg_stat_progress_vacuum} joined to {@code pg_stat_activity}'s {@code autovacuum
 *       worker}s): the backfill's new dead rows would only make its work longer, and an
 *       anti-wraparound vacuum must not be held up. The table is the one of the asking backfill's
 *       {@link KeyRange} ({@link HealthCheck.Context#walked()}); a query or CSV backfill walks no
 *       table, and the signal does not apply to it. A manual {@code VACUUM} does not count;
 *   <li>WAL is written faster than {@code maxWalRate} bytes per second ({@link #withMaxWalRate}):
 *       {@code pg_current_wal_lsn()} read at each check, the rate measured between two checks at
 *       least a second apart (the last rate stands between them; the first check has none yet, and
 *       this signal then answers healthy). WAL is what replicas replay and archiving ships: the
 *       backfill's own WAL counts, which is the point.
 * </ul>
 *
 * <p>{@link #defaults()} and {@link #withLimits} watch the first two only, as before the other two
 * existed; {@link #none()} watches nothing, and the {@code with} methods turn each signal on.
 *
 * <p><b>Privileges.</b> The first three read other sessions' activity, which PostgreSQL shows only
 * to a superuser or a member of {@code pg_read_all_stats} (which {@code pg_monitor} includes): to
 * anyone else their {@code xact_start}, {@code replay_lag} and the vacuumed table ({@code relid})
 * read as NULL, and the check would always answer healthy. So it fails closed: when one of them is
 * on, {@link #verify} refuses to start a backfill with it for a role without that visibility (the
 * message says {@code GRANT pg_monitor TO <role>}), and {@link #check} answers unhealthy, saying
 * why, if the visibility is lost later. The WAL rate needs no privilege, but {@code
 * pg_current_wal_lsn()} is refused on a standby (recovery in progress): {@link #verify} refuses a
 * standby, and {@link #check} answers unhealthy on one.
 *
 * <pre>{@code
 * MigrationRegistry.configure(jdbi)
 *     .healthCheck(PostgresHealthCheck.defaults()
 *         .withAutovacuumOnTable()
 *         .withMaxWalRate(64L * 1024 * 1024))   // 64 MB of WAL per second
 *     .build();
 * }</pre>
 *
 * <p>One instance keeps the last WAL sample, shared by the workers that ask it (the rate is the
 * server's, whoever asks).
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
  private static final String AUTOVACUUM =
      "SELECT a.pid, p.phase, a.query FROM pg_stat_progress_vacuum p JOIN pg_stat_activity a ON a.pid = p.pid"
          + " WHERE a.backend_type = 'autovacuum worker' AND p.datname = current_database()"
          + " AND p.relid = to_regclass(:table) ORDER BY a.pid LIMIT 1";
  private static final String WAL_POSITION =
      "SELECT pg_is_in_recovery(), CASE WHEN pg_is_in_recovery() THEN NULL"
          + " ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') END";

  /** The shortest interval a WAL rate is measured over. */
  private static final long WAL_WINDOW_NANOS = Duration.ofSeconds(1).toNanos();

  private final Duration maxTransactionAge;
  private final Duration maxReplicationLag;
  private final boolean autovacuum;
  private final Long maxWalRate;

  /** The last WAL sample and the rate measured up to it; guarded by {@code this}. */
  private long sampleBytes;

  private long sampleNanos;
  private boolean sampled;
  private Double walRate;

  private PostgresHealthCheck(
      Duration maxTransactionAge, Duration maxReplicationLag, boolean autovacuum, Long maxWalRate) {
    this.maxTransactionAge = maxTransactionAge;
    this.maxReplicationLag = maxReplicationLag;
    this.autovacuum = autovacuum;
    this.maxWalRate = maxWalRate;
  }

  /** Returns a check with the given limits of transaction age and replication lag. */
  public static PostgresHealthCheck withLimits(
      Duration maxTransactionAge, Duration maxReplicationLag) {
    return none().withMaxTransactionAge(maxTransactionAge).withMaxReplicationLag(maxReplicationLag);
  }

  /**
   * Returns a check that backs off on transactions older than 10 minutes or replication lag over 30
   * s; it watches neither autovacuum nor the WAL rate (turn them on with {@link
   * #withAutovacuumOnTable()} and {@link #withMaxWalRate}).
   */
  public static PostgresHealthCheck defaults() {
    return withLimits(Duration.ofMinutes(10), Duration.ofSeconds(30));
  }

  /**
   * Returns a check with every signal off (it answers healthy); turn signals on with the {@code
   * with} methods.
   */
  public static PostgresHealthCheck none() {
    return new PostgresHealthCheck(null, null, false, null);
  }

  /**
   * Returns this check, backing off while another session's transaction is older than {@code
   * limit}.
   */
  public PostgresHealthCheck withMaxTransactionAge(Duration limit) {
    return new PostgresHealthCheck(
        Objects.requireNonNull(limit, "maxTransactionAge"),
        maxReplicationLag,
        autovacuum,
        maxWalRate);
  }

  /** Returns this check, not watching other sessions' transaction age. */
  public PostgresHealthCheck withoutTransactionAge() {
    return new PostgresHealthCheck(null, maxReplicationLag, autovacuum, maxWalRate);
  }

  /** Returns this check, backing off while a replica replays more than {@code limit} behind. */
  public PostgresHealthCheck withMaxReplicationLag(Duration limit) {
    return new PostgresHealthCheck(
        maxTransactionAge,
        Objects.requireNonNull(limit, "maxReplicationLag"),
        autovacuum,
        maxWalRate);
  }

  /** Returns this check, not watching replication lag. */
  public PostgresHealthCheck withoutReplicationLag() {
    return new PostgresHealthCheck(maxTransactionAge, null, autovacuum, maxWalRate);
  }

  /**
   * Returns this check, backing off while an autovacuum worker vacuums the table the asking
   * backfill walks (its {@link KeyRange}'s table; query and CSV backfills walk none, and are not
   * held back by this signal). Needs the visibility of {@code pg_read_all_stats}, as the other
   * session signals.
   */
  public PostgresHealthCheck withAutovacuumOnTable() {
    return new PostgresHealthCheck(maxTransactionAge, maxReplicationLag, true, maxWalRate);
  }

  /** Returns this check, not watching autovacuum. */
  public PostgresHealthCheck withoutAutovacuumOnTable() {
    return new PostgresHealthCheck(maxTransactionAge, maxReplicationLag, false, maxWalRate);
  }

  /**
   * Returns this check, backing off while the server writes more than {@code bytesPerSecond} of WAL
   * per second, measured between two checks at least a second apart. Refused on a standby.
   */
  public PostgresHealthCheck withMaxWalRate(long bytesPerSecond) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("maxWalRate must be positive, was " + bytesPerSecond);
    }
    return new PostgresHealthCheck(
        maxTransactionAge, maxReplicationLag, autovacuum, bytesPerSecond);
  }

  /** Returns this check, not watching the WAL rate. */
  public PostgresHealthCheck withoutWalRate() {
    return new PostgresHealthCheck(maxTransactionAge, maxReplicationLag, autovacuum, null);
  }

  /** Returns the age of another session's transaction it backs off beyond, empty if not watched. */
  public Optional<Duration> maxTransactionAge() {
    return Optional.ofNullable(maxTransactionAge);
  }

  /** Returns the replica replay lag it backs off beyond, empty if not watched. */
  public Optional<Duration> maxReplicationLag() {
    return Optional.ofNullable(maxReplicationLag);
  }

  /** Returns whether it backs off while autovacuum vacuums the walked table. */
  public boolean watchesAutovacuumOnTable() {
    return autovacuum;
  }

  /** Returns the WAL rate, in bytes per second, it backs off beyond, empty if not watched. */
  public OptionalLong maxWalRate() {
    return maxWalRate == null ? OptionalLong.empty() : OptionalLong.of(maxWalRate);
  }

  /**
   * Throws {@link IllegalStateException}, with the fix, if a signal that is on cannot be read here:
   * the session signals for a role that cannot see other sessions' activity (neither superuser nor
   * a member of {@code pg_read_all_stats} or {@code pg_monitor}), the WAL rate on a standby.
   */
  @Override
  public void verify(Handle handle) {
    String blind = blindness(handle);
    if (blind == null) {
      blind = walUnreadable(handle);
    }
    if (blind != null) {
      throw new IllegalStateException(blind);
    }
  }

  private boolean watchesSessions() {
    return maxTransactionAge != null || maxReplicationLag != null || autovacuum;
  }

  /**
   * Returns why this session cannot see other sessions' activity, or null if it can or no signal
   * needs it.
   */
  private String blindness(Handle handle) {
    if (!watchesSessions()) {
      return null;
    }
    Object[] row =
        handle
            .createQuery(VISIBILITY)
            .map((rows, ctx) -> new Object[] {rows.getString(1), rows.getBoolean(2)})
            .one();
    if ((Boolean) row[1]) {
      return null;
    }
    return "PostgresHealthCheck cannot see other sessions' transactions, replication lag nor autovacuum: role "
        + row[0]
        + " is neither superuser nor a member of pg_read_all_stats, so pg_stat_activity, pg_stat_replication"
        + " and pg_stat_progress_vacuum hide them and the check would always answer healthy. Grant it (GRANT"
        + " pg_monitor TO "
        + row[0]
        + "), or remove the health check.";
  }

  /** Returns why the WAL rate cannot be read here (a standby), or null if it can or is off. */
  private String walUnreadable(Handle handle) {
    if (maxWalRate == null || walPosition(handle) != null) {
      return null;
    }
    return standby();
  }

  private static String standby() {
    return "PostgresHealthCheck cannot measure the WAL rate on this server: it is a standby (pg_is_in_recovery()),"
        + " where pg_current_wal_lsn() is not allowed. Run the backfill against the primary, or remove"
        + " withMaxWalRate.";
  }

  /** Returns the current WAL position in bytes, or null on a standby. */
  private static Long walPosition(Handle handle) {
    return handle
        .createQuery(WAL_POSITION)
        .map(
            (rows, ctx) -> {
              long bytes = rows.getLong(2);
              return rows.getBoolean(1) || rows.wasNull() ? null : bytes;
            })
        .one();
  }

  /**
   * Answers as {@link #check(Handle, Context)} without knowing the asking backfill: the autovacuum
   * signal does not apply.
   */
  @Override
  public Status check(Handle handle) {
    return check(handle, null);
  }

  /**
   * Answers unhealthy, saying why, if a signal that is on is above its limit, or cannot be read
   * (see {@link #verify}).
   */
  @Override
  public Status check(Handle handle, Context context) {
    String blind = blindness(handle);
    if (blind != null) {
      return Status.unhealthy(blind);
    }
    if (maxTransactionAge != null) {
      double oldest = handle.createQuery(OLDEST_TRANSACTION).mapTo(Double.class).one();
      if (oldest * 1000 > maxTransactionAge.toMillis()) {
        return Status.unhealthy(
            String.format(
                Locale.ROOT,
                "a transaction has been open for %.1f s (limit %d ms)",
                oldest,
                maxTransactionAge.toMillis()));
      }
    }
    if (maxReplicationLag != null) {
      double lag = handle.createQuery(REPLICATION_LAG).mapTo(Double.class).one();
      if (lag * 1000 > maxReplicationLag.toMillis()) {
        return Status.unhealthy(
            String.format(
                Locale.ROOT,
                "a replica replays %.1f s behind (limit %d ms)",
                lag,
                maxReplicationLag.toMillis()));
      }
    }
    Optional<KeyRange> walked = context == null ? Optional.empty() : context.walked();
    if (autovacuum && walked.isPresent()) {
      KeyRange keys = walked.get();
      String table = new TableName(keys.schema(), keys.table()).sql(Dialect.POSTGRESQL);
      Optional<String> running =
          handle
              .createQuery(AUTOVACUUM)
              .bind("table", table)
              .map(
                  (rows, ctx) ->
                      String.format(
                          Locale.ROOT,
                          "autovacuum (pid %d, %s) is vacuuming the walked table %s: %s",
                          rows.getInt(1),
                          rows.getString(2),
                          keys.schema() == null ? keys.table() : keys.schema() + "." + keys.table(),
                          rows.getString(3)))
              .findOne();
      if (running.isPresent()) {
        return Status.unhealthy(running.get());
      }
    }
    if (maxWalRate != null) {
      Long bytes = walPosition(handle);
      if (bytes == null) {
        return Status.unhealthy(standby());
      }
      Double rate = walRate(bytes, System.nanoTime());
      if (rate != null && rate > maxWalRate) {
        return Status.unhealthy(
            String.format(
                Locale.ROOT,
                "WAL is written at %,.0f bytes/s (limit %,d bytes/s)",
                rate,
                maxWalRate));
      }
    }
    return Status.HEALTHY;
  }

  /**
   * Takes a WAL sample: returns the rate since the previous one if it is at least {@link
   * #WAL_WINDOW_NANOS} old (and keeps this one), else the last rate measured; null before the first
   * rate.
   */
  private synchronized Double walRate(long bytes, long nanos) {
    if (!sampled || bytes < sampleBytes) {
      sampled = true;
      sampleBytes = bytes;
      sampleNanos = nanos;
      return walRate;
    }
    long elapsed = nanos - sampleNanos;
    if (elapsed >= WAL_WINDOW_NANOS) {
      walRate = (bytes - sampleBytes) * 1e9 / elapsed;
      sampleBytes = bytes;
      sampleNanos = nanos;
    }
    return walRate;
  }
}
