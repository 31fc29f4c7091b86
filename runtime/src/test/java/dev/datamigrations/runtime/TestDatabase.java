package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * A database the suite runs against. Servers that are not reachable make their tests skip with a
 * message naming the URL, unless {@code -Ddatamigrations.requireDatabases=true} or the environment
 * has {@code CI=true} (as {@code .ci/run} does), which makes them fail.
 */
record TestDatabase(String name, String url, String user, String password, String quote) {
  static final boolean REQUIRED =
      Boolean.getBoolean("datamigrations.requireDatabases")
          || "true".equalsIgnoreCase(System.getenv("CI"));
  private static final Map<String, String> UNREACHABLE = new ConcurrentHashMap<>();

  static TestDatabase h2() {
    // WRITE_DELAY=0: H2 otherwise writes commits to disk up to 500 ms later, so a killed JVM loses
    // the last
    // commits (a migration and its history row together: consistent, but the killed-run test checks
    // that what
    // committed before the kill stays).
    return new TestDatabase(
        "H2", "jdbc:h2:file:" + tempDir("h2").resolve("db") + ";WRITE_DELAY=0", "sa", "", "\"");
  }

  static TestDatabase postgres() {
    return new TestDatabase(
        "PostgreSQL", "jdbc:postgresql://127.0.0.1:5432/" + database("PG"), "postgres", "", "\"");
  }

  static TestDatabase mariadb() {
    return new TestDatabase(
        "MariaDB",
        "jdbc:mariadb://127.0.0.1:3306/" + database("MARIADB") + "?sslMode=disable",
        "root",
        "",
        "`");
  }

  /**
   * Returns the server database the tests use: {@code test}, or {@code
   * $DATAMIGRATIONS_TEST_<server>_DB} (so that two checkouts can run their suites side by side
   * without sharing tables or locks).
   */
  static String database(String server) {
    String configured = System.getenv("DATAMIGRATIONS_TEST_" + server + "_DB");
    return configured == null || configured.isBlank() ? "test" : configured;
  }

  static TestDatabase sqlite() {
    return new TestDatabase(
        "SQLite", "jdbc:sqlite:" + tempDir("sqlite").resolve("test.db"), null, null, "\"");
  }

  /** Returns a new Jdbi, on connections of its own. */
  Jdbi jdbi() {
    return user == null ? Jdbi.create(url) : Jdbi.create(url, user, password);
  }

  /** Returns a plain, unpooled {@link DataSource} over {@link java.sql.DriverManager}. */
  DataSource dataSource() {
    return new PlainDataSource() {
      @Override
      public Connection getConnection() throws SQLException {
        return user == null
            ? DriverManager.getConnection(url)
            : DriverManager.getConnection(url, user, password);
      }

      @Override
      public Connection getConnection(String otherUser, String otherPassword) throws SQLException {
        return DriverManager.getConnection(url, otherUser, otherPassword);
      }
    };
  }

  /**
   * Skips (or, when databases are required, fails) the calling tests if the database cannot be
   * reached.
   */
  void assumeReachable() {
    String unreachable = UNREACHABLE.computeIfAbsent(url, u -> check());
    if (!unreachable.isEmpty()) {
      if (REQUIRED) {
        fail(
            unreachable
                + "; datamigrations.requireDatabases=true, so this fails instead of skipping");
      }
      assumeTrue(false, "SKIPPED: " + unreachable);
    }
  }

  /** Returns "" if the database answers, or why not (printed once). */
  private String check() {
    DriverManager.setLoginTimeout(5);
    try (Connection connection =
        user == null
            ? DriverManager.getConnection(url)
            : DriverManager.getConnection(url, user, password)) {
      connection.getMetaData();
    } catch (SQLException e) {
      String message = name + " is not reachable at " + url + " (" + e.getMessage() + ")";
      System.err.println((REQUIRED ? "FAILED: " : "SKIPPED: ") + message);
      return message;
    }
    return "";
  }

  /**
   * Returns {@code identifier} as a user's own SQL would write it: unquoted. The runner folds the
   * names it quotes to the database's case for unquoted names, so this must reach the same table.
   */
  String quote(String identifier) {
    return identifier;
  }

  private static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory("datamigrations-" + prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
