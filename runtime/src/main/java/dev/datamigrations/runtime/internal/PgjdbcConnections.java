package dev.datamigrations.runtime.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.OptionalInt;
import org.postgresql.PGConnection;

/**
 * What only pgjdbc can tell about a connection, asked through {@link Connection#unwrap} so that
 * pools (HikariCP and others) are seen through. pgjdbc is an optional dependency: without it on the
 * class path, or with another driver, the answers are empty.
 */
final class PgjdbcConnections {
  private PgjdbcConnections() {}

  /**
   * Returns the backend process id from the BackendKeyData the server sent when the connection
   * started, or empty if the connection is not pgjdbc's. A pooler such as PgBouncer sends an id of
   * its own, which differs from the {@code pg_backend_pid()} of the server session behind it.
   */
  static OptionalInt startupBackendPid(Connection connection) {
    try {
      return connection.isWrapperFor(PGConnection.class)
          ? OptionalInt.of(connection.unwrap(PGConnection.class).getBackendPID())
          : OptionalInt.empty();
    } catch (SQLException | LinkageError e) {
      // Not pgjdbc (or pgjdbc is not on the class path): the caller cannot tell, and takes the safe
      // way.
      return OptionalInt.empty();
    }
  }
}
