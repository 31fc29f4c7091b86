package dev.datamigrations.console;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The databases the console's tests use: H2 in memory, and PostgreSQL at 127.0.0.1 in {@code
 * $DATAMIGRATIONS_TEST_PG_DB} (default {@code test}), skipped with a message when unreachable
 * unless {@code CI=true} or {@code -Ddatamigrations.requireDatabases=true}.
 */
record ConsoleDatabase(String url, String user, String password) implements DataSource {
  static final boolean REQUIRED =
      Boolean.getBoolean("datamigrations.requireDatabases")
          || "true".equalsIgnoreCase(System.getenv("CI"));

  static ConsoleDatabase h2(String name) {
    return new ConsoleDatabase(
        "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "sa-secret-password");
  }

  static ConsoleDatabase postgres() {
    String db = System.getenv("DATAMIGRATIONS_TEST_PG_DB");
    ConsoleDatabase database =
        new ConsoleDatabase(
            "jdbc:postgresql://127.0.0.1:5432/" + (db == null || db.isBlank() ? "test" : db),
            "postgres",
            "");
    try (Connection ignored = database.getConnection()) {
      return database;
    } catch (SQLException e) {
      String message = "PostgreSQL at " + database.url() + " is not reachable: " + e.getMessage();
      if (REQUIRED) {
        fail(message + "; CI=true, so this fails instead of skipping");
      }
      assumeTrue(false, "SKIPPED: " + message);
      return database;
    }
  }

  /**
   * Drops the console's test tables and creates {@code console_items} with {@code rows} rows and
   * the marker.
   */
  void reset(String history, int rows) throws SQLException {
    try (Connection connection = getConnection();
        Statement statement = connection.createStatement()) {
      for (String table :
          new String[] {
            history,
            history + "_progress",
            history + "_batches",
            history + "_failures",
            history + "_lock",
            "console_items",
            "console_marker"
          }) {
        statement.execute("DROP TABLE IF EXISTS " + table);
      }
      statement.execute("CREATE TABLE console_marker (name VARCHAR(50))");
      statement.execute("CREATE TABLE console_items (id BIGINT PRIMARY KEY, hits INT NOT NULL)");
      if (rows > 0) {
        statement.execute(
            url.startsWith("jdbc:postgresql")
                ? "INSERT INTO console_items SELECT g, 0 FROM generate_series(1, " + rows + ") g"
                : "INSERT INTO console_items SELECT X, 0 FROM SYSTEM_RANGE(1, " + rows + ")");
      }
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  @Override
  public Connection getConnection(String otherUser, String otherPassword) throws SQLException {
    return DriverManager.getConnection(url, otherUser, otherPassword);
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return false;
  }
}
