package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.DataMigrationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The history table: one row per applied version. Plain JDBC on the connection of the run's handle,
 * so that the row is written in exactly the transaction the migration runs in, with one prepared
 * statement.
 */
public final class HistoryTable {
  /** Length of the description, class name and applied-by columns; longer values are cut to fit. */
  static final int TEXT_LENGTH = 1000;

  /** Length of the reason column. */
  static final int REASON_LENGTH = 4000;

  private final Dialect dialect;
  private final TableName name;
  private final String selectAll;
  private final String selectVersions;
  private final String insert;
  private final String delete;

  public HistoryTable(Dialect dialect, TableName name) {
    this.dialect = dialect;
    this.name = name;
    String table = name.sql(dialect);
    this.selectAll =
        "SELECT version, description, class_name, applied_at, execution_ms, applied_by, reason FROM "
            + table;
    this.selectVersions = "SELECT version FROM " + table;
    this.insert =
        "INSERT INTO "
            + table
            + " (version, description, class_name, applied_at, execution_ms, applied_by, reason)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)";
    this.delete = "DELETE FROM " + table + " WHERE version = ?";
  }

  public TableName name() {
    return name;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** Creates the table unless it exists; a concurrent creator winning the race is fine. */
  public void createIfAbsent(Connection connection) {
    Tables.createIfAbsentWith(connection, dialect, name, dialect.historyTableDdl(name));
  }

  /**
   * Reads every row (one SELECT); an absent table reads as an empty history. Does not create
   * anything.
   */
  public History readIfExists(Connection connection) {
    try {
      return read(connection);
    } catch (DataMigrationException e) {
      try {
        if (!Tables.exists(connection, dialect, name)) {
          return History.empty();
        }
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Reads every row with one SELECT. */
  public History read(Connection connection) {
    List<AppliedMigration> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(selectAll)) {
      while (result.next()) {
        rows.add(
            new AppliedMigration(
                result.getLong(1),
                result.getString(2),
                result.getString(3),
                dialect.readTimestamp(result, 4),
                result.getLong(5),
                result.getString(6),
                result.getString(7)));
      }
    } catch (SQLException e) {
      throw new DataMigrationException("Could not read the history table " + name + ": " + e, e);
    }
    return new History(rows);
  }

  /**
   * Reads only the applied versions, with one SELECT of one column: all that planning {@code
   * migrate} and {@code up} needs, and the same read as the raw-JDBC limit makes. It returns
   * versions, not rows. Creates the table only when that read finds it absent, so that a run with
   * nothing to do runs no DDL.
   */
  public AppliedVersions readVersionsCreatingIfAbsent(Connection connection) {
    List<Long> versions = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(selectVersions)) {
      while (result.next()) {
        versions.add(result.getLong(1));
      }
    } catch (SQLException e) {
      try {
        if (Tables.exists(connection, dialect, name)) {
          throw new DataMigrationException(
              "Could not read the history table " + name + ": " + e, e);
        }
      } catch (SQLException metadata) {
        e.addSuppressed(metadata);
        throw new DataMigrationException("Could not read the history table " + name + ": " + e, e);
      }
      createIfAbsent(connection);
      return new AppliedVersions(List.of());
    }
    return new AppliedVersions(versions);
  }

  /**
   * Returns whether {@code version} has a row, read now, in whatever transaction {@code connection}
   * is in.
   */
  public boolean contains(Connection connection, long version) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(selectVersions + " WHERE version = ?")) {
      statement.setLong(1, version);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  /** Inserts one row, in whatever transaction {@code connection} is in. */
  public void insert(Connection connection, AppliedMigration row) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      statement.setLong(1, row.version());
      statement.setString(2, fit(row.description(), TEXT_LENGTH));
      statement.setString(3, fit(row.className(), TEXT_LENGTH));
      dialect.writeTimestamp(statement, 4, row.appliedAt());
      statement.setLong(5, row.executionMillis());
      statement.setString(6, fit(row.appliedBy(), TEXT_LENGTH));
      statement.setString(7, fit(row.reason(), REASON_LENGTH));
      statement.executeUpdate();
    }
  }

  /**
   * Deletes the row of {@code version}, in whatever transaction {@code connection} is in; returns
   * how many rows it deleted (1, unless another run deleted it first).
   */
  public int delete(Connection connection, long version) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(delete)) {
      statement.setLong(1, version);
      return statement.executeUpdate();
    }
  }

  private static String fit(String value, int length) {
    if (value == null || value.length() <= length) {
      return value;
    }
    return value.substring(0, length - 3) + "...";
  }
}
