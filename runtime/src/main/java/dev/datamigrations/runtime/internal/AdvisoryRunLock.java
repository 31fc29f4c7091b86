package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.DataMigrationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL: an advisory lock keyed by a hash of the history table's resolved name (its schema as
 * the server resolves it: {@code current_schema()}, or the schema the table already exists in).
 * Every wait is bounded by the runner's lock timeout, not by the server's settings.
 *
 * <p>Two ways to hold it, chosen by whether the connection reaches the server directly:
 *
 * <ul>
 *   <li><b>Direct</b> (the backend process id the server sent at connection start-up, which pgjdbc
 *       keeps, is the one {@code pg_backend_pid()} answers): a session lock on the migrations' own
 *       connection. Their commits do not release it; the server releases it when the session ends,
 *       a killed process included. One connection, one extra query: the fast path.
 *   <li><b>Through a pooler</b> (PgBouncer sends a process id of its own, so the two differ; or the
 *       driver is not pgjdbc and cannot tell): a session lock means nothing there, since in
 *       transaction pooling another client can be handed the same server session (and take the lock
 *       again, re-entrantly) and the unlock can land on another session. So the lock is a
 *       transaction lock ({@code pg_try_advisory_xact_lock}) taken in a transaction held open on a
 *       connection of its own: an open transaction pins its server session in every pooling mode,
 *       and its end (rollback, the client's death, the backend's termination) releases the lock.
 *       Before each migration commits, its transaction checks in {@code pg_locks} that the lock's
 *       server session still holds the lock.
 * </ul>
 */
final class AdvisoryRunLock implements RunLock {
  private static final Logger LOG = LoggerFactory.getLogger(AdvisoryRunLock.class);

  /**
   * The server session's pid and the history table's schema as the server resolves it, in one round
   * trip.
   */
  private static final String PROBE =
      "SELECT pg_backend_pid(), COALESCE(?::text, (SELECT n.nspname::text FROM pg_catalog.pg_class c"
          + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(?)),"
          + " current_schema()::text)";

  /**
   * Bounds each wait in the server so that an interrupt or the deadline is seen at least this
   * often.
   */
  private static final long LONGEST_ATTEMPT_MILLIS = 1000;

  /** The SQLSTATE of a lock wait that ran out of {@code lock_timeout}. */
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  private static final String HELD =
      "SELECT COUNT(*) FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND granted AND pid = ?"
          + " AND classid::text::bigint = ? AND objid::text::bigint = ? AND objsubid = 1";

  private final TableName history;
  private final Connection connection;
  private final ConnectionSource.Lease own;
  private final long key;
  private final int pid;

  private AdvisoryRunLock(
      TableName history, Connection connection, ConnectionSource.Lease own, long key, int pid) {
    this.history = history;
    this.connection = connection;
    this.own = own;
    this.key = key;
    this.pid = pid;
  }

  static RunLock acquire(
      Connection migrations,
      Supplier<ConnectionSource.Lease> ownConnection,
      TableName history,
      LockWait wait) {
    int pid;
    String schema;
    try (PreparedStatement probe = migrations.prepareStatement(PROBE)) {
      probe.setString(
          1, history.schema() == null ? null : Dialect.POSTGRESQL.fold(history.schema()));
      probe.setString(2, Dialect.POSTGRESQL.quote(history.table()));
      try (ResultSet row = probe.executeQuery()) {
        row.next();
        pid = row.getInt(1);
        schema = row.getString(2);
      }
    } catch (SQLException e) {
      throw new DataMigrationException(
          "Could not resolve the history table " + history + ": " + e, e);
    }
    long key = RunLock.hash(RunLock.name(schema, history.table()));
    OptionalInt startupPid = PgjdbcConnections.startupBackendPid(migrations);
    if (startupPid.isPresent() && startupPid.getAsInt() == pid) {
      takeSessionLock(migrations, key, history, wait);
      return new AdvisoryRunLock(history, migrations, null, key, pid);
    }
    LOG.debug(
        "The connection does not reach PostgreSQL directly (start-up pid {}, server pid {}): the run lock is held"
            + " in a transaction on a connection of its own",
        startupPid,
        pid);
    ConnectionSource.Lease own = ownConnection.get();
    Connection connection = own.connection();
    try {
      connection.setAutoCommit(false);
      takeTransactionLock(connection, key, history, wait);
      int lockPid;
      try (PreparedStatement backend = connection.prepareStatement("SELECT pg_backend_pid()");
          ResultSet row = backend.executeQuery()) {
        row.next();
        lockPid = row.getInt(1);
      }
      return new AdvisoryRunLock(history, connection, own, key, lockPid);
    } catch (SQLException | RuntimeException e) {
      endTransaction(connection, own);
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new DataMigrationException(
          "Could not take the PostgreSQL advisory lock " + key + ": " + e, e);
    }
  }

  /**
   * Takes a session lock on {@code connection}, in auto-commit: one {@code pg_try_advisory_lock}
   * first (the uncontended case, one round trip); else waits in the server ({@code
   * pg_advisory_lock} in a short transaction under {@code SET LOCAL lock_timeout} of at most a
   * second per attempt; the session lock outlives it), so that a waiter gets the lock the moment it
   * is released, in the order they came, and still sees its deadline.
   */
  private static void takeSessionLock(
      Connection connection, long key, TableName history, LockWait wait) {
    try {
      if (tryLock(connection, "SELECT pg_try_advisory_lock(?)", key)) {
        return;
      }
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement();
          PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
        lock.setLong(1, key);
        while (true) {
          if (wait.expired()) {
            throw timedOut(key, history, wait);
          }
          try {
            statement.execute(
                "SET LOCAL lock_timeout = "
                    + Math.max(1, Math.min(wait.remainingMillis(), LONGEST_ATTEMPT_MILLIS)));
            lock.execute();
            connection.commit();
            return;
          } catch (SQLException e) {
            connection.rollback();
            if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
              throw e;
            }
          }
        }
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new DataMigrationException(
          "Could not take the PostgreSQL advisory lock " + key + ": " + e, e);
    }
  }

  /**
   * Takes a transaction lock on {@code connection}, whose auto-commit is off, and leaves its
   * transaction open. Polled, each failed attempt rolled back: a waiter in an open transaction
   * would pin a pooler's server connection for as long as it waits, and enough waiters would starve
   * the run that holds the lock.
   */
  private static void takeTransactionLock(
      Connection connection, long key, TableName history, LockWait wait) throws SQLException {
    while (!tryLock(connection, "SELECT pg_try_advisory_xact_lock(?)", key)) {
      connection.rollback();
      if (wait.expired()) {
        throw timedOut(key, history, wait);
      }
      wait.pause();
    }
  }

  private static boolean tryLock(Connection connection, String sql, long key) throws SQLException {
    try (PreparedStatement tryLock = connection.prepareStatement(sql)) {
      tryLock.setLong(1, key);
      try (ResultSet result = tryLock.executeQuery()) {
        return result.next() && result.getBoolean(1);
      }
    }
  }

  private static RuntimeException timedOut(long key, TableName history, LockWait wait) {
    return wait.timedOut(
        history,
        "PostgreSQL advisory lock " + key,
        "Find the session holding it with: SELECT pid, usename, client_addr, backend_start, query FROM"
            + " pg_stat_activity WHERE pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND"
            + " classid = "
            + (key >>> 32)
            + " AND objid = "
            + (key & 0xffffffffL)
            + ").");
  }

  /**
   * Direct: nothing to check, since the lock and the migration's transaction share one server
   * session, and if that session ends the transaction cannot commit either (pgjdbc never reconnects
   * by itself). Through a pooler: asks {@code pg_locks}, inside the migration's transaction,
   * whether the lock's session still holds it.
   */
  @Override
  public void verify(Connection migrations) {
    if (own == null) {
      return;
    }
    try (PreparedStatement held = migrations.prepareStatement(HELD)) {
      held.setInt(1, pid);
      held.setLong(2, key >>> 32);
      held.setLong(3, key & 0xffffffffL);
      try (ResultSet row = held.executeQuery()) {
        if (row.next() && row.getLong(1) == 1) {
          return;
        }
      }
    } catch (SQLException e) {
      throw RunLock.lost(history, "PostgreSQL advisory lock " + key, "could not check it: " + e);
    }
    throw RunLock.lost(
        history,
        "PostgreSQL advisory lock " + key,
        "the server session " + pid + " that held it has ended or released it");
  }

  @Override
  public void close() {
    if (own != null) {
      endTransaction(connection, own);
      return;
    }
    try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
      unlock.setLong(1, key);
      try (ResultSet result = unlock.executeQuery()) {
        if (!result.next() || !result.getBoolean(1)) {
          RunLock.discard(
              connection,
              new IllegalStateException("pg_advisory_unlock(" + key + ") found no lock"));
        }
      }
    } catch (SQLException e) {
      RunLock.discard(connection, e);
    }
  }

  /**
   * Ends the lock's transaction, which releases a transaction lock, and gives the connection back.
   */
  private static void endTransaction(Connection connection, ConnectionSource.Lease own) {
    try {
      connection.rollback();
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      RunLock.discard(connection, e);
    } finally {
      own.close();
    }
  }
}
