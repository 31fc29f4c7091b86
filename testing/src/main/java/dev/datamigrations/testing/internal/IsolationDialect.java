package dev.datamigrations.testing.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * How each database gives a test a namespace of its own: PostgreSQL and H2 a schema, MySQL and
 * MariaDB a database (their schemas are databases). The one place that knows these differences.
 */
public enum IsolationDialect {
  POSTGRESQL {
    @Override
    void use(Connection connection, String name) throws SQLException {
      connection.setSchema(name); // pgjdbc: SET search_path
    }
  },
  H2 {
    @Override
    String folded(String name) {
      return name.toUpperCase(
          Locale.ROOT); // H2 folds unquoted names to upper case; setSchema does not fold
    }

    @Override
    void use(Connection connection, String name) throws SQLException {
      connection.setSchema(folded(name));
    }
  },
  MARIADB {
    @Override
    String createSql(String name) {
      return "CREATE DATABASE " + name;
    }

    @Override
    String dropSql(String name) {
      return "DROP DATABASE IF EXISTS " + name;
    }

    @Override
    void use(Connection connection, String name) throws SQLException {
      connection.setCatalog(name); // USE name
    }
  };

  /**
   * Returns the dialect of the database {@code connection} is connected to.
   *
   * @throws IllegalArgumentException naming the product when no schema per test is known for it
   */
  public static IsolationDialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    String lower = product.toLowerCase(Locale.ROOT);
    if (lower.contains("postgresql")) {
      return POSTGRESQL;
    }
    if (lower.equals("h2")) {
      return H2;
    }
    if (lower.contains("mariadb") || lower.contains("mysql")) {
      return MARIADB;
    }
    throw new IllegalArgumentException(
        "The test kit knows no schema per test for "
            + product
            + " (it does for PostgreSQL, H2, MySQL and MariaDB). Use Isolation.NONE and isolate the tests yourself,"
            + " for example with a fresh database per test class.");
  }

  /**
   * Returns the statement that creates the namespace {@code name} (a plain lower-case identifier).
   */
  String createSql(String name) {
    return "CREATE SCHEMA " + name;
  }

  /** Returns the statement that drops the namespace {@code name} and everything in it. */
  String dropSql(String name) {
    return "DROP SCHEMA IF EXISTS " + name + " CASCADE";
  }

  /** Returns {@code name} as the database stores it when written unquoted. */
  String folded(String name) {
    return name;
  }

  /** Makes {@code name} the current schema (database) of {@code connection}. */
  abstract void use(Connection connection, String name) throws SQLException;

  /** Creates the namespace {@code name}. */
  public void create(Connection connection, String name) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(createSql(name));
    }
  }

  /** Drops the namespace {@code name} and everything in it. */
  public void drop(Connection connection, String name) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(dropSql(name));
    }
  }
}
