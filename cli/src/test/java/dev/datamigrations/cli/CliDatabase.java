package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A database the command line's tests run against, with the arguments that reach it: H2 in memory,
 * and PostgreSQL and MariaDB at 127.0.0.1 in {@code $DATAMIGRATIONS_TEST_PG_DB} / {@code
 * $DATAMIGRATIONS_TEST_MARIADB_DB} (default {@code test}), skipped with a message when unreachable
 * unless {@code CI=true} or {@code -Ddatamigrations.requireDatabases=true}.
 */
record CliDatabase(String name, String url, String user, String password) {
  static final boolean REQUIRED =
      Boolean.getBoolean("datamigrations.requireDatabases")
          || "true".equalsIgnoreCase(System.getenv("CI"));

  /**
   * Returns the database called {@code name} ({@code h2}, {@code postgresql} or {@code mariadb}),
   * or skips.
   */
  static CliDatabase named(String name) {
    return switch (name) {
      case "h2" ->
          new CliDatabase(
              name, "jdbc:h2:mem:cli_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
      case "postgresql" ->
          reachable(
              new CliDatabase(
                  name,
                  "jdbc:postgresql://127.0.0.1:5432/" + database("DATAMIGRATIONS_TEST_PG_DB"),
                  "postgres",
                  ""));
      case "mariadb" ->
          reachable(
              new CliDatabase(
                  name,
                  "jdbc:mariadb://127.0.0.1:3306/"
                      + database("DATAMIGRATIONS_TEST_MARIADB_DB")
                      + "?sslMode=disable",
                  "root",
                  ""));
      default -> throw new IllegalArgumentException("no test database " + name);
    };
  }

  private static String database(String variable) {
    String db = System.getenv(variable);
    return db == null || db.isBlank() ? "test" : db;
  }

  private static CliDatabase reachable(CliDatabase database) {
    try (Connection ignored = database.connect()) {
      return database;
    } catch (SQLException e) {
      String message =
          database.name + " at " + database.url + " is not reachable: " + e.getMessage();
      if (REQUIRED) {
        fail(message + "; CI=true, so this fails instead of skipping");
      }
      assumeTrue(false, "SKIPPED: " + message);
      return database;
    }
  }

  /** Opens a connection. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /**
   * Returns {@code --url URL --user USER}, then {@code args}: a command line that reaches this
   * database.
   */
  String[] arguments(String... args) {
    List<String> all = new ArrayList<>(List.of("--url", url, "--user", user));
    if (!password.isEmpty()) {
      all.addAll(List.of("--password", password));
    }
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  /** Drops {@code tables}, where they exist. */
  void drop(String... tables) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      for (String table : tables) {
        statement.execute("DROP TABLE IF EXISTS " + table);
      }
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
