package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.DataMigrationException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates and finds the runtime's own tables (history, lock, backfill progress and batches), with
 * the DDL the {@link Dialect} writes ({@link Dialect#createTableDdl}): the one place that knows how
 * a table is created safely when several runners start at once.
 */
public final class Tables {
  private Tables() {}

  /**
   * Creates {@code table} with {@code columns} (the text between the parentheses of {@code CREATE
   * TABLE}) unless it exists; a concurrent creator winning the race is fine. Runs in auto-commit
   * mode.
   */
  public static void createIfAbsent(
      Connection connection, Dialect dialect, TableName table, String columns) {
    createIfAbsentWith(connection, dialect, table, dialect.createTableDdl(table, columns));
  }

  /**
   * Runs {@code ddl} unless {@code table} exists. {@code IF NOT EXISTS} is not atomic everywhere
   * (PostgreSQL can fail with a unique violation when two sessions create the same table at once),
   * so a failure is accepted when the table exists afterwards. Runs in auto-commit mode.
   */
  static void createIfAbsentWith(
      Connection connection, Dialect dialect, TableName table, String ddl) {
    try {
      if (!dialect.supportsCreateIfNotExists() && exists(connection, dialect, table)) {
        return;
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute(ddl);
      } catch (SQLException e) {
        if (!exists(connection, dialect, table)) {
          throw e;
        }
      }
    } catch (SQLException e) {
      throw new DataMigrationException(
          "Could not create the table " + table + " with: " + ddl + ": " + e, e);
    }
  }

  /**
   * Returns whether {@code table} exists, asking the JDBC metadata. Names are folded and quoted in
   * SQL, so the stored name is exactly the folded one; {@code _} is a wildcard in metadata
   * patterns, hence the exact comparison.
   */
  public static boolean exists(Connection connection, Dialect dialect, TableName table)
      throws SQLException {
    DatabaseMetaData metadata = connection.getMetaData();
    String catalog = null;
    String schema = table.schema() == null ? null : dialect.fold(table.schema());
    String name = dialect.fold(table.table());
    if (dialect.schemasAreCatalogs()) {
      catalog = schema != null ? schema : connection.getCatalog();
      schema = null;
    } else if (schema == null && dialect.hasSchemas()) {
      schema = connection.getSchema();
    }
    try (ResultSet tables = metadata.getTables(catalog, schema, name, null)) {
      while (tables.next()) {
        if (name.equals(tables.getString("TABLE_NAME"))
            && (schema == null || schema.equals(tables.getString("TABLE_SCHEM")))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Adds {@code column} of {@code type} (nullable) to an existing {@code table} unless it has it:
   * the runtime's tables gain columns as it grows, and a table created by an older version must
   * work. A concurrent runner adding the same column first is fine. Runs in auto-commit mode.
   */
  public static void addColumnIfAbsent(
      Connection connection, Dialect dialect, TableName table, String column, String type) {
    String ddl = "ALTER TABLE " + table.sql(dialect) + " ADD COLUMN " + column + " " + type;
    try {
      if (hasColumn(connection, dialect, table, column)) {
        return;
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute(ddl);
      } catch (SQLException e) {
        if (!hasColumn(connection, dialect, table, column)) {
          throw e;
        }
      }
    } catch (SQLException e) {
      throw new DataMigrationException(
          "Could not add the column " + column + " to " + table + " with: " + ddl + ": " + e, e);
    }
  }

  private static boolean hasColumn(
      Connection connection, Dialect dialect, TableName table, String column) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT * FROM " + table.sql(dialect) + " WHERE 1 = 0")) {
      var metadata = rows.getMetaData();
      for (int i = 1; i <= metadata.getColumnCount(); i++) {
        if (metadata.getColumnName(i).equalsIgnoreCase(column)) {
          return true;
        }
      }
      return false;
    }
  }
}
