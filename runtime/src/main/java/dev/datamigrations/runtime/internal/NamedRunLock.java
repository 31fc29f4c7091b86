package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.DataMigrationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * MySQL and MariaDB: a named user lock, {@code GET_LOCK(name, seconds)}, on the migrations'
 * connection. Named locks are server-wide, so the name includes the database (the configured
 * schema, else {@code DATABASE()}), in lower case. They belong to the session: commits do not
 * release them, the end of the session (a killed process included) does. A driver that reconnects
 * by itself (MySQL Connector/J's {@code autoReconnect}) would carry on in a new session that does
 * not hold the lock, so each migration checks, inside its transaction before it commits, that this
 * session still holds it.
 */
final class NamedRunLock implements RunLock {
  /** MySQL rejects longer lock names. */
  private static final int MAX_NAME_LENGTH = 64;

  private final TableName history;
  private final Connection connection;
  private final String name;

  private NamedRunLock(TableName history, Connection connection, String name) {
    this.history = history;
    this.connection = connection;
    this.name = name;
  }

  static RunLock acquire(Connection connection, TableName history, LockWait wait) {
    String name = null;
    try {
      String database = history.schema() != null ? history.schema() : connection.getCatalog();
      name = RunLock.name(database, history.table());
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
              return new NamedRunLock(history, connection, name);
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
  public void verify(Connection migrations) {
    try (PreparedStatement held =
        migrations.prepareStatement("SELECT IS_USED_LOCK(?) = CONNECTION_ID()")) {
      held.setString(1, name);
      try (ResultSet row = held.executeQuery()) {
        if (row.next() && row.getInt(1) == 1) {
          return;
        }
      }
    } catch (SQLException e) {
      throw RunLock.lost(history, "named lock '" + name + "'", "could not check it: " + e);
    }
    throw RunLock.lost(
        history,
        "named lock '" + name + "'",
        "this connection's session no longer holds it (killed, or reconnected)");
  }

  @Override
  public void close() {
    try (PreparedStatement release = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
      release.setString(1, name);
      try (ResultSet result = release.executeQuery()) {
        if (!result.next() || result.getInt(1) != 1) {
          RunLock.discard(
              connection, new IllegalStateException("RELEASE_LOCK('" + name + "') found no lock"));
        }
      }
    } catch (SQLException e) {
      RunLock.discard(connection, e);
    }
  }
}
