package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.DataMigrationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MySQL and MariaDB: a named user lock, {@code GET_LOCK(name, seconds)}. Named locks are server-wide, so the
 * name includes the database. They belong to the session: commits do not release them, the end of the
 * session (a killed process included) does.
 */
final class NamedRunLock implements RunLock {
  private static final Logger LOG = LoggerFactory.getLogger(NamedRunLock.class);

  /** MySQL rejects longer lock names. */
  private static final int MAX_NAME_LENGTH = 64;

  private final Connection connection;
  private final String name;

  private NamedRunLock(Connection connection, String name) {
    this.connection = connection;
    this.name = name;
  }

  static RunLock acquire(Connection connection, TableName history, LockWait wait) {
    String name = null;
    try {
      String database = history.schema() != null ? history.schema() : connection.getCatalog();
      name = "datamigrations:" + database + "." + history.table();
      if (name.length() > MAX_NAME_LENGTH) {
        name = "datamigrations:" + Long.toHexString(RunLock.hash(name));
      }
      try (PreparedStatement getLock = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
        getLock.setString(1, name);
        while (true) {
          // Whole seconds only; below one second left, poll without waiting in the server.
          long seconds = wait.remainingMillis() / 1000;
          getLock.setLong(2, seconds);
          try (ResultSet result = getLock.executeQuery()) {
            if (result.next() && result.getInt(1) == 1) {
              return new NamedRunLock(connection, name);
            }
          }
          if (wait.expired()) {
            throw wait.timedOut(
                history,
                "MySQL/MariaDB named lock '" + name + "'",
                "Find the connection holding it with: SELECT IS_USED_LOCK('"
                    + name
                    + "'); then look it up in SHOW PROCESSLIST.");
          }
          if (seconds == 0) {
            wait.pause();
          }
        }
      }
    } catch (SQLException e) {
      throw new DataMigrationException("Could not take the named lock '" + name + "': " + e, e);
    }
  }

  @Override
  public void close() {
    try (PreparedStatement release = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
      release.setString(1, name);
      release.execute();
    } catch (SQLException e) {
      LOG.warn("Could not release the named lock '{}'; closing its connection will: {}", name, e);
    }
  }
}
