package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.AppliedAs;
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
 *
 * <p>Tables created by the first release lack the columns {@link #ADDED_COLUMNS} ({@code checksum},
 * {@code applied_as}, {@code audit}). {@link #upgradeIfNeeded} adds them in place, under the run
 * lock, before this run writes a row; reads find out only when the full {@code SELECT} fails, and
 * then read the old columns, so the no-op start-up (a {@code SELECT version}) costs nothing more.
 */
public final class HistoryTable {
  /** Length of the description, class name and applied-by columns; longer values are cut to fit. */
  static final int TEXT_LENGTH = 1000;

  /** Length of the reason column. */
  static final int REASON_LENGTH = 4000;

  /** Length of the checksum column: a SHA-256 in hex. */
  static final int CHECKSUM_LENGTH = 64;

  /** Length of the applied-as column. */
  static final int APPLIED_AS_LENGTH = 16;

  /** The columns added after the first release, each with its definition, in the order added. */
  static final List<String> ADDED_COLUMNS =
      List.of(
          "checksum VARCHAR(" + CHECKSUM_LENGTH + ")",
          "applied_as VARCHAR(" + APPLIED_AS_LENGTH + ")",
          "audit VARCHAR(" + REASON_LENGTH + ")");

  private static final String FIRST_RELEASE_COLUMNS =
      "version, description, class_name, applied_at, execution_ms, applied_by, reason";

  private final Dialect dialect;
  private final TableName name;
  private final String selectAll;
  private final String selectFirstRelease;
  private final String selectNoRow;
  private final String updateChecksum;
  private final String selectVersions;
  private final String insert;
  private final String delete;

  public HistoryTable(Dialect dialect, TableName name) {
    this.dialect = dialect;
    this.name = name;
    String table = name.sql(dialect);
    this.selectAll =
        "SELECT " + FIRST_RELEASE_COLUMNS + ", checksum, applied_as, audit FROM " + table;
    this.selectFirstRelease = "SELECT " + FIRST_RELEASE_COLUMNS + " FROM " + table;
    this.selectVersions = "SELECT version FROM " + table;
    this.selectNoRow = "SELECT * FROM " + table + " WHERE 1 = 0";
    this.insert =
        "INSERT INTO "
            + table
            + " ("
            + FIRST_RELEASE_COLUMNS
            + ", checksum, applied_as, audit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    this.updateChecksum = "UPDATE " + table + " SET checksum = ?, audit = ? WHERE version = ?";
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

  /**
   * Reads every row with one SELECT. A table of the first release, without the added columns, is
   * read without them (found out when the full SELECT fails; nothing is changed: reads never
   * upgrade).
   */
  public History read(Connection connection) {
    try {
      return read(connection, selectAll, true);
    } catch (SQLException e) {
      try {
        if (!missingColumns(connection).isEmpty()) {
          return read(connection, selectFirstRelease, false);
        }
      } catch (SQLException columns) {
        e.addSuppressed(columns);
      }
      throw new DataMigrationException("Could not read the history table " + name + ": " + e, e);
    }
  }

  private History read(Connection connection, String select, boolean added) throws SQLException {
    boolean inTransaction = !connection.getAutoCommit();
    // PostgreSQL aborts a transaction on a failed statement: a savepoint lets the fallback read go
    // on.
    java.sql.Savepoint savepoint = inTransaction ? connection.setSavepoint() : null;
    List<AppliedMigration> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(select)) {
      while (result.next()) {
        rows.add(
            new AppliedMigration(
                result.getLong(1),
                result.getString(2),
                result.getString(3),
                dialect.readTimestamp(result, 4),
                result.getLong(5),
                result.getString(6),
                result.getString(7),
                added ? result.getString(8) : null,
                added ? appliedAs(result.getString(9)) : AppliedAs.RUN,
                added ? result.getString(10) : null));
      }
    } catch (SQLException e) {
      if (savepoint != null) {
        connection.rollback(savepoint);
      }
      throw e;
    }
    return new History(rows);
  }

  private AppliedAs appliedAs(String stored) throws SQLException {
    if (stored == null) {
      return AppliedAs.RUN;
    }
    try {
      return AppliedAs.valueOf(stored.strip());
    } catch (IllegalArgumentException e) {
      throw new SQLException(
          "the history table "
              + name
              + " has applied_as '"
              + stored
              + "', which is none of "
              + java.util.Arrays.toString(AppliedAs.values()),
          e);
    }
  }

  /**
   * Returns the {@link #ADDED_COLUMNS} the table lacks (their definitions), from the result
   * metadata of a {@code SELECT *} that reads no row: the table exactly as every other statement
   * here names it (quoting, folding, schema), whatever case the database kept its name in.
   */
  List<String> missingColumns(Connection connection) throws SQLException {
    java.util.Set<String> present = new java.util.HashSet<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(selectNoRow)) {
      java.sql.ResultSetMetaData columns = result.getMetaData();
      for (int i = 1; i <= columns.getColumnCount(); i++) {
        present.add(columns.getColumnName(i).toLowerCase(java.util.Locale.ROOT));
      }
    }
    List<String> missing = new ArrayList<>();
    for (String column : ADDED_COLUMNS) {
      String columnName = column.substring(0, column.indexOf(' '));
      if (!present.contains(columnName)) {
        missing.add(column);
      }
    }
    return missing;
  }

  /**
   * Adds the columns a table of an earlier release lacks, in place: one {@code ALTER TABLE ... ADD
   * COLUMN} each ({@link Dialect#addColumnDdl}); idempotent (a column another runner added
   * meanwhile is fine). Each waits for a lock another transaction holds on the table (a report left
   * open after reading it) no longer than {@code lockTimeout}, where the database would wait
   * forever ({@link Dialect#ddlLockTimeoutQuery}); the session's own setting is restored. Call
   * under the run lock, in auto-commit, before writing a row: one {@code SELECT} that reads no row
   * when nothing is missing.
   */
  public void upgradeIfNeeded(Connection connection, java.time.Duration lockTimeout) {
    try {
      List<String> missing = missingColumns(connection);
      if (missing.isEmpty()) {
        return;
      }
      String saved = boundDdlLockWait(connection, lockTimeout);
      try {
        for (String column : missing) {
          addColumn(connection, column, lockTimeout);
        }
      } finally {
        if (saved != null) {
          try (Statement statement = connection.createStatement()) {
            statement.execute(dialect.setDdlLockTimeout(saved));
          }
        }
      }
    } catch (SQLException e) {
      throw new DataMigrationException(
          "Could not read the columns of the history table " + name + ": " + e, e);
    }
  }

  /** Sets the session's DDL lock wait to {@code lockTimeout}; returns the setting it replaced. */
  private String boundDdlLockWait(Connection connection, java.time.Duration lockTimeout)
      throws SQLException {
    String query = dialect.ddlLockTimeoutQuery();
    if (query == null) {
      return null;
    }
    String saved;
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(query)) {
      result.next();
      saved = result.getString(1);
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute(dialect.setDdlLockTimeout(dialect.ddlLockTimeoutValue(lockTimeout)));
    }
    return saved;
  }

  private void addColumn(Connection connection, String column, java.time.Duration lockTimeout)
      throws SQLException {
    String ddl = dialect.addColumnDdl(name, column);
    try (Statement statement = connection.createStatement()) {
      statement.execute(ddl);
    } catch (SQLException e) {
      if (missingColumns(connection).contains(column)) {
        throw new DataMigrationException(
            "Could not add the column "
                + column
                + " to the history table "
                + name
                + " (a table of an earlier release) with: "
                + ddl
                + ": "
                + e
                + ". It waited at most the lock timeout ("
                + lockTimeout
                + ") for other transactions to let go of the table: one left open after"
                + " reading it (a report, a console) keeps it; end it and run again. Nothing else"
                + " was changed. If the runner's user may not alter the table, run that statement"
                + " by hand or grant it ALTER.",
            e);
      }
    }
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
      // A reason is typed by a person, who may paste a URL with its password: masked like a log.
      statement.setString(
          7, fit(dev.datamigrations.runtime.Redaction.redact(row.reason()), REASON_LENGTH));
      statement.setString(8, row.checksum());
      statement.setString(9, row.appliedAs().name());
      statement.setString(10, keepNewest(row.audit(), REASON_LENGTH));
      statement.executeUpdate();
    }
  }

  /**
   * Sets the checksum of {@code version}'s row and its audit text; returns how many rows it changed
   * (1, unless the row is gone).
   */
  public int updateChecksum(Connection connection, long version, String checksum, String audit)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(updateChecksum)) {
      statement.setString(1, checksum);
      statement.setString(2, keepNewest(audit, REASON_LENGTH));
      statement.setLong(3, version);
      return statement.executeUpdate();
    }
  }

  /**
   * Drops the oldest whole entries (lines) of an audit text that does not fit, keeping the newest,
   * after a line {@code ...}; an entry is cut only if the newest alone does not fit.
   */
  private static String keepNewest(String value, int length) {
    if (value == null || value.length() <= length) {
      return value;
    }
    String kept = value.substring(value.length() - (length - 4));
    int firstWhole = kept.indexOf('\n');
    return "...\n" + (firstWhole < 0 ? kept : kept.substring(firstWhole + 1));
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

  /** Cuts {@code value} to {@code length} characters, ending it with {@code ...} if cut. */
  static String fit(String value, int length) {
    if (value == null || value.length() <= length) {
      return value;
    }
    return value.substring(0, length - 3) + "...";
  }
}
