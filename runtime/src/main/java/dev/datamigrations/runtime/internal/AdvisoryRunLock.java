package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.DataMigrationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL: a session-level advisory lock, keyed by a hash of the history table's name. Polled with
 * {@code pg_try_advisory_lock} so that the wait is bounded by the runner's timeout, not by the server's
 * {@code lock_timeout}. Session-level, so the migrations' commits on the other connection do not release it;
 * the server releases it when the session ends, a killed process included.
 */
final class AdvisoryRunLock implements RunLock {
  private static final Logger LOG = LoggerFactory.getLogger(AdvisoryRunLock.class);

  private final Connection connection;
  private final long key;

  private AdvisoryRunLock(Connection connection, long key) {
    this.connection = connection;
    this.key = key;
  }

  static RunLock acquire(Connection connection, TableName history, LockWait wait) {
    long key = RunLock.hash("datamigrations:" + history);
    try (PreparedStatement tryLock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      tryLock.setLong(1, key);
      while (true) {
        try (ResultSet result = tryLock.executeQuery()) {
          if (result.next() && result.getBoolean(1)) {
            return new AdvisoryRunLock(connection, key);
          }
        }
        if (wait.expired()) {
          throw wait.timedOut(
              history,
              "PostgreSQL advisory lock " + key,
              "Find the session holding it with: SELECT pid, usename, client_addr, backend_start, query FROM"
                  + " pg_stat_activity WHERE pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND"
                  + " classid = " + (key >>> 32) + " AND objid = " + (key & 0xffffffffL) + ").");
        }
        wait.pause();
      }
    } catch (SQLException e) {
      throw new DataMigrationException("Could not take the PostgreSQL advisory lock " + key + ": " + e, e);
    }
  }

  @Override
  public void close() {
    try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
      unlock.setLong(1, key);
      unlock.execute();
    } catch (SQLException e) {
      LOG.warn("Could not release the PostgreSQL advisory lock {}; closing its connection will: {}", key, e);
    }
  }
}
