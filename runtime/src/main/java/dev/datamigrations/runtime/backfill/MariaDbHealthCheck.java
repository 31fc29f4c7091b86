package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.Redaction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;

/**
 * MySQL's and MariaDB's health check: backs off while, each signal optional,
 *
 * <ul>
 *   <li>another connection's InnoDB transaction has been open longer than {@code maxTransactionAge}
 *       ({@code information_schema.innodb_trx}, the backfill's own connection excluded): a long
 *       transaction keeps purge from removing old row versions, so the backfill's undo piles up
 *       behind it;
 *   <li>InnoDB's history list length (undo logs not yet purged) is above {@code maxHistoryLength}:
 *       read from {@code information_schema.innodb_metrics} ({@code trx_rseg_history_len}, enabled
 *       by default on MariaDB 10.x and MySQL 8), or, where that counter is disabled, from {@code
 *       SHOW ENGINE INNODB STATUS}'s {@code History list length} line;
 *   <li>a replica, given as a {@link DataSource} of its own, is more than {@code maxReplicaDelay}
 *       behind ({@code Seconds_Behind_Master}, or MySQL 8.0.22+'s {@code Seconds_Behind_Source}, of
 *       {@code SHOW REPLICA STATUS}, or {@code SHOW SLAVE STATUS} on older servers), or not
 *       replicating at all.
 * </ul>
 *
 * <p>All three need the server to show other connections' state: {@code innodb_trx}, {@code
 * innodb_metrics} and {@code SHOW ENGINE INNODB STATUS} need the {@code PROCESS} privilege, the
 * replica's status {@code REPLICATION CLIENT} (MySQL) or {@code SLAVE MONITOR} (MariaDB 10.5+). It
 * fails closed: {@link #verify} refuses to start a backfill when a configured signal cannot be
 * read, with the {@code GRANT} in the message, and {@link #check} answers unhealthy, saying why, if
 * it becomes unreadable later.
 *
 * <pre>{@code
 * MigrationRegistry.configure(jdbi)
 *     .healthCheck(MariaDbHealthCheck.defaults().withReplica(replicaDataSource, Duration.ofSeconds(10)))
 *     .build();
 * }</pre>
 *
 * <p>Ages come from {@code trx_started}, a {@code DATETIME}: whole seconds. The reason names the
 * old transaction's running statement with its secrets masked ({@link Redaction}).
 */
public final class MariaDbHealthCheck implements HealthCheck {
  private static final String OLDEST_TRANSACTION =
      "SELECT trx_mysql_thread_id, TIMESTAMPDIFF(SECOND, trx_started, NOW()), trx_state, trx_query"
          + " FROM information_schema.innodb_trx WHERE trx_mysql_thread_id <> CONNECTION_ID()"
          + " ORDER BY trx_started, trx_mysql_thread_id LIMIT 1";
  private static final String HISTORY_METRIC =
      "SELECT * FROM information_schema.innodb_metrics WHERE NAME = 'trx_rseg_history_len'";
  private static final Pattern HISTORY_LINE = Pattern.compile("History list length (\\d+)");
  private static final int ACCESS_DENIED = 1227;

  private final Duration maxTransactionAge;
  private final Long maxHistoryLength;
  private final DataSource replica;
  private final Duration maxReplicaDelay;

  private MariaDbHealthCheck(
      Duration maxTransactionAge,
      Long maxHistoryLength,
      DataSource replica,
      Duration maxReplicaDelay) {
    this.maxTransactionAge = maxTransactionAge;
    this.maxHistoryLength = maxHistoryLength;
    this.replica = replica;
    this.maxReplicaDelay = maxReplicaDelay;
  }

  /**
   * Returns a check that backs off on another transaction open longer than 10 minutes or a history
   * list longer than 1,000,000 (purge far behind: an idle server stays near zero), and watches no
   * replica.
   */
  public static MariaDbHealthCheck defaults() {
    return none().withMaxTransactionAge(Duration.ofMinutes(10)).withMaxHistoryLength(1_000_000);
  }

  /**
   * Returns a check with every signal off (it answers healthy); turn signals on with the {@code
   * with} methods.
   */
  public static MariaDbHealthCheck none() {
    return new MariaDbHealthCheck(null, null, null, null);
  }

  /**
   * Returns this check, backing off while another connection's transaction is older than {@code
   * limit}.
   */
  public MariaDbHealthCheck withMaxTransactionAge(Duration limit) {
    return new MariaDbHealthCheck(
        Objects.requireNonNull(limit, "limit"), maxHistoryLength, replica, maxReplicaDelay);
  }

  /** Returns this check, not watching other transactions' age. */
  public MariaDbHealthCheck withoutTransactionAge() {
    return new MariaDbHealthCheck(null, maxHistoryLength, replica, maxReplicaDelay);
  }

  /** Returns this check, backing off while InnoDB's history list is longer than {@code limit}. */
  public MariaDbHealthCheck withMaxHistoryLength(long limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("maxHistoryLength must be 0 or more, not " + limit);
    }
    return new MariaDbHealthCheck(maxTransactionAge, limit, replica, maxReplicaDelay);
  }

  /** Returns this check, not watching the history list. */
  public MariaDbHealthCheck withoutHistoryLength() {
    return new MariaDbHealthCheck(maxTransactionAge, null, replica, maxReplicaDelay);
  }

  /**
   * Returns this check, backing off while the replica behind {@code replica} (a connection to the
   * replica itself) is more than {@code limit} behind, or not replicating.
   */
  public MariaDbHealthCheck withReplica(DataSource replica, Duration limit) {
    return new MariaDbHealthCheck(
        maxTransactionAge,
        maxHistoryLength,
        Objects.requireNonNull(replica, "replica"),
        Objects.requireNonNull(limit, "limit"));
  }

  /**
   * Throws {@link IllegalStateException}, with the {@code GRANT} that fixes it, if a configured
   * signal cannot be read with this connection's user (or the replica's), or if the replica is not
   * a replica.
   */
  @Override
  public void verify(Handle handle) {
    String problem = unreadable(handle.getConnection());
    if (problem != null) {
      throw new IllegalStateException(problem);
    }
  }

  /** Returns why a configured signal cannot be read, or null if every one can. */
  private String unreadable(Connection connection) {
    try {
      if (maxTransactionAge != null) {
        oldestTransaction(connection);
      }
      if (maxHistoryLength != null) {
        historyLength(connection);
      }
      if (replica != null) {
        ReplicaDelay delay;
        try (Connection replicaConnection = replica.getConnection()) {
          delay = replicaDelay(replicaConnection);
        } catch (SQLException e) {
          return describeReplica(e);
        }
        if (delay == null) {
          return "MariaDbHealthCheck was given a replica DataSource whose server is not a replica: SHOW REPLICA STATUS"
              + " (and SHOW SLAVE STATUS) returned no row, so its delay could never be seen. Give it a connection to"
              + " the replica itself, or remove withReplica.";
        }
      }
      return null;
    } catch (SQLException e) {
      return describe(connection, e);
    }
  }

  /** Answers unhealthy, saying why, if a signal is above its limit or cannot be read. */
  @Override
  public Status check(Handle handle) {
    Connection connection = handle.getConnection();
    try {
      if (maxTransactionAge != null) {
        OldestTransaction oldest = oldestTransaction(connection);
        if (oldest != null && oldest.ageSeconds() * 1000 > maxTransactionAge.toMillis()) {
          return Status.unhealthy(
              String.format(
                  Locale.ROOT,
                  "a transaction of thread %d has been open for %d s (limit %d ms), state %s%s",
                  oldest.threadId(),
                  oldest.ageSeconds(),
                  maxTransactionAge.toMillis(),
                  oldest.state(),
                  oldest.query() == null
                      ? ", between statements"
                      : ", running: " + abbreviate(oldest.query())));
        }
      }
      if (maxHistoryLength != null) {
        HistoryLength history = historyLength(connection);
        if (history.length() > maxHistoryLength) {
          return Status.unhealthy(
              String.format(
                  Locale.ROOT,
                  "InnoDB's history list length is %,d (limit %,d; from %s): purge is behind",
                  history.length(),
                  maxHistoryLength,
                  history.source()));
        }
      }
      if (replica != null) {
        ReplicaDelay delay;
        try (Connection replicaConnection = replica.getConnection()) {
          delay = replicaDelay(replicaConnection);
        } catch (SQLException e) {
          return Status.unhealthy(describeReplica(e));
        }
        if (delay == null) {
          return Status.unhealthy(
              "the replica DataSource's server is not a replica (SHOW REPLICA STATUS is empty)");
        }
        if (delay.seconds() == null) {
          return Status.unhealthy(
              "the replica is not replicating ("
                  + delay.column()
                  + " is NULL, SQL thread running: "
                  + delay.sqlRunning()
                  + ")");
        }
        if (delay.seconds() * 1000 > maxReplicaDelay.toMillis()) {
          return Status.unhealthy(
              String.format(
                  Locale.ROOT,
                  "the replica is %d s behind (limit %d ms, %s)",
                  delay.seconds(),
                  maxReplicaDelay.toMillis(),
                  delay.column()));
        }
      }
      return Status.HEALTHY;
    } catch (SQLException e) {
      return Status.unhealthy(describe(connection, e));
    }
  }

  private record OldestTransaction(long threadId, long ageSeconds, String state, String query) {}

  private static OldestTransaction oldestTransaction(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(OLDEST_TRANSACTION)) {
      if (!rows.next()) {
        return null;
      }
      return new OldestTransaction(
          rows.getLong(1), rows.getLong(2), rows.getString(3), rows.getString(4));
    }
  }

  private record HistoryLength(long length, String source) {}

  /**
   * Reads the history list length from innodb_metrics where its counter is on, else from the InnoDB
   * status text.
   */
  private static HistoryLength historyLength(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(HISTORY_METRIC)) {
      if (rows.next() && metricEnabled(rows)) {
        return new HistoryLength(
            rows.getLong("COUNT"), "information_schema.innodb_metrics trx_rseg_history_len");
      }
    }
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SHOW ENGINE INNODB STATUS")) {
      if (rows.next()) {
        Matcher matcher = HISTORY_LINE.matcher(rows.getString("Status"));
        if (matcher.find()) {
          return new HistoryLength(Long.parseLong(matcher.group(1)), "SHOW ENGINE INNODB STATUS");
        }
      }
    }
    throw new SQLException(
        "neither information_schema.innodb_metrics (trx_rseg_history_len disabled) nor SHOW ENGINE INNODB STATUS"
            + " gives InnoDB's history list length on this server");
  }

  /** MariaDB's innodb_metrics has ENABLED (1/0); MySQL 8's has STATUS ('enabled'/'disabled'). */
  private static boolean metricEnabled(ResultSet row) throws SQLException {
    ResultSetMetaData meta = row.getMetaData();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      String column = meta.getColumnLabel(i);
      if (column.equalsIgnoreCase("ENABLED")) {
        return row.getInt(i) == 1;
      }
      if (column.equalsIgnoreCase("STATUS")) {
        return "enabled".equalsIgnoreCase(row.getString(i));
      }
    }
    return false;
  }

  private record ReplicaDelay(Long seconds, String column, String sqlRunning) {}

  /**
   * Returns the largest delay over the replica's channels, or null if the server is not a replica.
   */
  private static ReplicaDelay replicaDelay(Connection connection) throws SQLException {
    ReplicaDelay worst = null;
    try (Statement statement = connection.createStatement();
        ResultSet rows = replicaStatus(statement)) {
      while (rows.next()) {
        String column =
            hasColumn(rows, "Seconds_Behind_Source")
                ? "Seconds_Behind_Source"
                : "Seconds_Behind_Master";
        String sqlRunning =
            rows.getString(
                hasColumn(rows, "Replica_SQL_Running")
                    ? "Replica_SQL_Running"
                    : "Slave_SQL_Running");
        long seconds = rows.getLong(column);
        ReplicaDelay delay = new ReplicaDelay(rows.wasNull() ? null : seconds, column, sqlRunning);
        if (delay.seconds() == null) {
          return delay; // a channel that does not replicate is the worst there is
        }
        if (worst == null || delay.seconds() > worst.seconds()) {
          worst = delay;
        }
      }
    }
    return worst;
  }

  private static ResultSet replicaStatus(Statement statement) throws SQLException {
    try {
      return statement.executeQuery("SHOW REPLICA STATUS");
    } catch (SQLException e) {
      if (e.getErrorCode() == ACCESS_DENIED) {
        throw e;
      }
      // MariaDB before 10.5.1 and MySQL before 8.0.22 know only the older spelling.
      return statement.executeQuery("SHOW SLAVE STATUS");
    }
  }

  private static boolean hasColumn(ResultSet rows, String name) throws SQLException {
    ResultSetMetaData meta = rows.getMetaData();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      if (meta.getColumnLabel(i).equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private static String describeReplica(SQLException e) {
    return "MariaDbHealthCheck cannot read the replica's status: "
        + e.getMessage()
        + (e.getErrorCode() == ACCESS_DENIED
            ? ". Grant the replica DataSource's user REPLICATION CLIENT (MySQL) or SLAVE MONITOR (MariaDB 10.5+), or"
                + " remove withReplica."
            : "");
  }

  /** Says what could not be read and, for a missing privilege, which grant fixes it. */
  private static String describe(Connection connection, SQLException e) {
    if (e.getErrorCode() != ACCESS_DENIED) {
      return "MariaDbHealthCheck cannot read its signals: " + e.getMessage();
    }
    String user = currentUser(connection);
    return "MariaDbHealthCheck cannot see other connections' transactions nor the history list as "
        + user
        + ": "
        + e.getMessage()
        + ". information_schema.innodb_trx, innodb_metrics and SHOW ENGINE INNODB STATUS need the"
        + " PROCESS privilege, and without it the check could never answer unhealthy. Grant it (GRANT PROCESS ON *.*"
        + " TO "
        + user
        + "), or remove the health check.";
  }

  private static String currentUser(Connection connection) {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT CURRENT_USER()")) {
      rows.next();
      String[] parts = rows.getString(1).split("@", 2);
      return parts.length == 2 ? "'" + parts[0] + "'@'" + parts[1] + "'" : rows.getString(1);
    } catch (SQLException unknown) {
      return "this user";
    }
  }

  /**
   * Returns another connection's statement for the reason, which is logged and given to listeners:
   * its secrets masked ({@link Redaction}, before it is cut, so that a cut literal is masked
   * whole), on one line, at most 120 characters.
   */
  private static String abbreviate(String query) {
    String flat = Redaction.redact(query).replaceAll("\\s+", " ").trim();
    return flat.length() <= 120 ? flat : flat.substring(0, 117) + "...";
  }
}
