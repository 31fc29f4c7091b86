package dev.datamigrations.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A database server the kit's tests run against: {@code test} on 127.0.0.1, or {@code
 * $DATAMIGRATIONS_TEST_<PG|MARIADB>_DB}. An unreachable server skips its tests with a message,
 * unless {@code CI=true} or {@code -Ddatamigrations.requireDatabases=true}, which make them fail.
 */
record ServerDatabase(String name, String url, String user, String password) {
  static final boolean REQUIRED =
      Boolean.getBoolean("datamigrations.requireDatabases")
          || "true".equalsIgnoreCase(System.getenv("CI"));

  static ServerDatabase postgres() {
    return new ServerDatabase(
        "PostgreSQL", "jdbc:postgresql://127.0.0.1:5432/" + database("PG"), "postgres", "");
  }

  static ServerDatabase mariadb() {
    return new ServerDatabase(
        "MariaDB",
        "jdbc:mariadb://127.0.0.1:3306/" + database("MARIADB") + "?sslMode=disable",
        "root",
        "");
  }

  private static String database(String server) {
    String configured = System.getenv("DATAMIGRATIONS_TEST_" + server + "_DB");
    return configured == null || configured.isBlank() ? "test" : configured;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /**
   * Skips (or, when databases are required, fails) the calling test if the server does not answer.
   */
  void assumeReachable() {
    DriverManager.setLoginTimeout(5);
    try (Connection connection = connect()) {
      connection.getMetaData();
    } catch (SQLException e) {
      String message = name + " is not reachable at " + url + " (" + e.getMessage() + ")";
      if (REQUIRED) {
        fail(
            message
                + "; CI=true or datamigrations.requireDatabases=true, so this fails instead of skipping");
      }
      System.err.println("SKIPPED: " + message);
      assumeTrue(false, "SKIPPED: " + message);
    }
  }
}
