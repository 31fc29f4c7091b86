package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.DataMigrationException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * H2 and databases without a named lock: a row lock on the single row of {@code <table>_lock},
 * taken with {@code SELECT ... FOR UPDATE} and held by a transaction left open on the lock's own
 * connection until the run ends. The database rolls that transaction back, and so releases the
 * lock, when the connection or the process dies: no stale lock to clean up by hand. Its connection
 * is the lock's own (the migrations' commits would end its transaction), so before each migration
 * commits, the lock checks that this connection still holds the row (a dead or killed lock
 * connection has lost it).
 */
final class LockTableRunLock implements RunLock {
  /** Bounds each attempt so that an interrupt or the deadline is seen at least this often. */
  private static final long LONGEST_ATTEMPT_MILLIS = 1000;

  /**
   * How long {@link #verify} may wait to lock its own row again (the database's other locks may
   * delay it).
   */
  private static final long VERIFY_WAIT_MILLIS = 10_000;

  private final Dialect dialect;
  private final TableName history;
  private final ConnectionSource.Lease own;
  private final Connection connection;
  private final String originalLockWait;
  private final String reselect;

  private LockTableRunLock(
      Dialect dialect, TableName history, ConnectionSource.Lease own, String originalLockWait) {
    this.dialect = dialect;
    this.history = history;
    this.own = own;
    this.connection = own.connection();
    this.originalLockWait = originalLockWait;
    this.reselect =
        "SELECT id FROM " + history.lockTable().sql(dialect) + " WHERE id = 1 FOR UPDATE";
  }

  static RunLock acquire(
      Dialect dialect,
      ConnectionSource.Lease own,
      TableName history,
      LockWait wait,
      boolean createTables) {
    try {
      if (!createTables && !lockRowExists(dialect, own.connection(), history.lockTable())) {
        own.close();
        return RunLock.notHeld();
      }
      return acquire(dialect, own, own.connection(), history, wait);
    } catch (RuntimeException | Error e) {
      own.close();
      throw e;
    }
  }

  private static RunLock acquire(
      Dialect dialect,
      ConnectionSource.Lease own,
      Connection connection,
      TableName history,
      LockWait wait) {
    TableName lockTable = history.lockTable();
    String table = lockTable.sql(dialect);
    Tables.createIfAbsentWith(connection, dialect, lockTable, dialect.lockTableDdl(lockTable));
    try {
      insertRowIfAbsent(connection, table);
      String originalLockWait =
          dialect.currentLockWaitSql() == null
              ? null
              : queryString(connection, dialect.currentLockWaitSql());
      connection.setAutoCommit(false);
      while (true) {
        try (Statement statement = connection.createStatement()) {
          String lockWaitSql =
              dialect.lockWaitSql(
                  Math.max(1, Math.min(wait.remainingMillis(), LONGEST_ATTEMPT_MILLIS)));
          if (lockWaitSql != null) {
            statement.execute(lockWaitSql);
          }
          try (ResultSet row =
              statement.executeQuery("SELECT id FROM " + table + " WHERE id = 1 FOR UPDATE")) {
            if (row.next()) {
              if (lockWaitSql != null) {
                // The last attempt may have left a wait of a millisecond; verify() locks the row
                // again and, while
                // another runner creates the lock table or queues for the row, must not mistake a
                // short
                // wait for a lost lock.
                statement.execute(dialect.lockWaitSql(VERIFY_WAIT_MILLIS));
              }
              return new LockTableRunLock(dialect, history, own, originalLockWait);
            }
          }
          throw new DataMigrationException("The lock table " + lockTable + " lost its row");
        } catch (SQLException e) {
          connection.rollback();
          if (!isLockWait(e)) {
            throw e;
          }
          if (wait.expired()) {
            restore(connection, dialect, originalLockWait);
            throw wait.timedOut(
                history,
                "row lock on " + lockTable,
                "Look for the session with an open transaction holding a lock on "
                    + lockTable
                    + ".");
          }
          wait.pause();
        }
      }
    } catch (SQLException e) {
      throw new DataMigrationException("Could not lock the table " + lockTable + ": " + e, e);
    }
  }

  /**
   * Returns whether {@code e} says the lock is held by someone else (a wait that ran out, a
   * deadlock).
   */
  private static boolean isLockWait(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    return state.equals("HYT00") // H2 "Timeout trying to lock table", JDBC's timeout state
        || state.startsWith("40") // deadlock, serialization failure
        || state.equals("55P03") // lock not available
        || state.equals("57014"); // statement cancelled by its timeout
  }

  /** Returns whether the lock table and its row exist; reads only. */
  private static boolean lockRowExists(
      Dialect dialect, Connection connection, TableName lockTable) {
    try {
      return Tables.exists(connection, dialect, lockTable)
          && !"0"
              .equals(
                  queryString(
                      connection,
                      "SELECT COUNT(*) FROM " + lockTable.sql(dialect) + " WHERE id = 1"));
    } catch (SQLException e) {
      throw new DataMigrationException("Could not read the lock table " + lockTable + ": " + e, e);
    }
  }

  private static void insertRowIfAbsent(Connection connection, String table) throws SQLException {
    String count = "SELECT COUNT(*) FROM " + table + " WHERE id = 1";
    if (!"0".equals(queryString(connection, count))) {
      return;
    }
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate("INSERT INTO " + table + " (id) VALUES (1)");
    } catch (SQLException e) {
      // Another runner inserted it first: fine.
      if ("0".equals(queryString(connection, count))) {
        throw e;
      }
    }
  }

  private static String queryString(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }

  private static void restore(Connection connection, Dialect dialect, String originalLockWait)
      throws SQLException {
    connection.setAutoCommit(true);
    if (originalLockWait != null) {
      try (Statement statement = connection.createStatement()) {
        statement.execute(dialect.lockWaitSql(Long.parseLong(originalLockWait)));
      }
    }
  }

  /**
   * Locks the row again on the lock's connection, in the transaction that holds it: instant while
   * it holds it.
   */
  @Override
  public void verify(Connection migrations) {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(reselect)) {
      if (row.next()) {
        return;
      }
    } catch (SQLException e) {
      throw RunLock.lost(
          history, "row lock on " + history.lockTable(), "its connection failed: " + e);
    }
    throw RunLock.lost(
        history, "row lock on " + history.lockTable(), "the lock table lost its row");
  }

  @Override
  public void close() {
    try {
      connection.rollback();
      restore(connection, dialect, originalLockWait);
    } catch (SQLException e) {
      RunLock.discard(connection, e);
    } finally {
      own.close();
    }
  }
}
