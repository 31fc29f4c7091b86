package dev.datamigrations.runtime.backfill.internal;

import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.backfill.BackfillKeyException;
import dev.datamigrations.runtime.backfill.KeyRange;
import dev.datamigrations.runtime.internal.Dialect;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks, before a backfill starts, that its key column can be walked in {@code long} key ranges:
 * an integer type no wider than {@code BIGINT} (signed), {@code NOT NULL} (a NULL key is in no
 * range, so its row would never be processed), and unique (the primary key or a single-column
 * unique index). Asks only JDBC metadata ({@code getColumns}, {@code getPrimaryKeys}, {@code
 * getIndexInfo}), so it reads no row and changes nothing.
 */
final class KeyColumnCheck {
  private static final String RULE =
      " A backfill's key must be an integer column (SMALLINT, INTEGER or BIGINT; not BIGINT UNSIGNED, DECIMAL or"
          + " text), NOT NULL, and unique (the primary key or a unique index on that column alone).";

  private final Connection connection;
  private final Dialect dialect;
  private final MigrationDescriptor backfill;
  private final KeyRange keys;
  private String catalog;
  private String schema;
  private String table;

  private KeyColumnCheck(
      Connection connection, Dialect dialect, MigrationDescriptor backfill, KeyRange keys) {
    this.connection = connection;
    this.dialect = dialect;
    this.backfill = backfill;
    this.keys = keys;
  }

  /**
   * Throws {@link BackfillKeyException} naming the table, the column and the fix if the key cannot
   * be walked.
   */
  static void check(
      Connection connection, Dialect dialect, MigrationDescriptor backfill, KeyRange keys)
      throws SQLException {
    new KeyColumnCheck(connection, dialect, backfill, keys).check();
  }

  private void check() throws SQLException {
    DatabaseMetaData metadata = connection.getMetaData();
    String wantedSchema = keys.schema() == null ? null : dialect.fold(keys.schema());
    if (dialect.schemasAreCatalogs()) {
      catalog = wantedSchema != null ? wantedSchema : connection.getCatalog();
    } else if (wantedSchema != null) {
      schema = wantedSchema;
    } else {
      schema = connection.getSchema();
    }
    Map<String, String[]> columns = columns(metadata);
    if (columns.isEmpty() && keys.schema() == null && schema != null) {
      // Not in the current schema: the search path may find it in another one.
      schema = null;
      columns = columns(metadata);
    }
    String where = (keys.schema() == null ? "" : keys.schema() + ".") + keys.table();
    if (columns.isEmpty()) {
      throw refuse(
          "table " + where + " was not found",
          "Check KeyRange.of(...) in " + backfill.className() + ".");
    }
    String column = find(columns.keySet(), dialect.fold(keys.keyColumn()));
    if (column == null) {
      throw refuse(
          "key column "
              + where
              + "."
              + keys.keyColumn()
              + " does not exist (the columns of "
              + where
              + ": "
              + columns.keySet()
              + ")",
          "Check KeyRange.of(...) in " + backfill.className() + ".");
    }
    String name = where + "." + keys.keyColumn();
    String typeName = columns.get(column)[0];
    int dataType = Integer.parseInt(columns.get(column)[1]);
    boolean nullable =
        !columns.get(column)[2].equals(Integer.toString(DatabaseMetaData.columnNoNulls));
    String upper = typeName == null ? "" : typeName.toUpperCase(Locale.ROOT);
    if (upper.contains("BIGINT") && upper.contains("UNSIGNED")) {
      throw refuse(
          "key column "
              + name
              + " is "
              + typeName
              + ": its values above 9223372036854775807 do not fit a Java long",
          "Walk a signed BIGINT column, or ALTER the column to BIGINT if no value is that high.");
    }
    if (!isInteger(dataType)) {
      throw refuse(
          "key column " + name + " is " + typeName + ", not an integer",
          "Walk an integer column that is NOT NULL and unique (usually the primary key), or add one.");
    }
    List<String> primaryKey = primaryKey(metadata);
    boolean isPrimaryKey = primaryKey.size() == 1 && primaryKey.get(0).equals(column);
    if (nullable && !(isPrimaryKey && dialect.primaryKeyIsNotNull(typeName))) {
      throw refuse(
          "key column "
              + name
              + " accepts NULL, and a row whose key is NULL is in no batch, so it would never be"
              + " processed",
          "Declare the column NOT NULL (after filling its NULLs), or walk another key.");
    }
    if (!isPrimaryKey && !hasUniqueIndex(metadata, column)) {
      throw refuse(
          "key column "
              + name
              + " is neither the primary key nor covered by a unique index of its own",
          "Add one (CREATE UNIQUE INDEX ... ON "
              + where
              + " ("
              + keys.keyColumn()
              + ")), or walk the primary"
              + " key.");
    }
  }

  private BackfillKeyException refuse(String problem, String fix) {
    return new BackfillKeyException(
        backfill,
        "Backfill "
            + backfill
            + " cannot start: "
            + problem
            + "."
            + RULE
            + " "
            + fix
            + " The backfill was not started.");
  }

  /** Returns the table's columns by name: type name, JDBC type, nullability. */
  private Map<String, String[]> columns(DatabaseMetaData metadata) throws SQLException {
    Map<String, Map<String, String[]>> byTable = new LinkedHashMap<>();
    try (ResultSet rows = metadata.getColumns(catalog, schema, dialect.fold(keys.table()), null)) {
      while (rows.next()) {
        byTable
            .computeIfAbsent(rows.getString("TABLE_NAME"), t -> new LinkedHashMap<>())
            .put(
                rows.getString("COLUMN_NAME"),
                new String[] {
                  rows.getString("TYPE_NAME"),
                  Integer.toString(rows.getInt("DATA_TYPE")),
                  Integer.toString(rows.getInt("NULLABLE"))
                });
      }
    }
    // "_" is a wildcard in metadata patterns: keep the exact table only.
    table = find(byTable.keySet(), dialect.fold(keys.table()));
    return table == null ? Map.of() : byTable.get(table);
  }

  private List<String> primaryKey(DatabaseMetaData metadata) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (ResultSet rows = metadata.getPrimaryKeys(catalog, schema, table)) {
      while (rows.next()) {
        columns.add(rows.getString("COLUMN_NAME"));
      }
    }
    return columns;
  }

  private boolean hasUniqueIndex(DatabaseMetaData metadata, String column) throws SQLException {
    Map<String, List<String>> indexes = new LinkedHashMap<>();
    try (ResultSet rows = metadata.getIndexInfo(catalog, schema, table, true, true)) {
      while (rows.next()) {
        if (rows.getShort("TYPE") == DatabaseMetaData.tableIndexStatistic
            || rows.getBoolean("NON_UNIQUE")) {
          continue;
        }
        indexes
            .computeIfAbsent(String.valueOf(rows.getString("INDEX_NAME")), n -> new ArrayList<>())
            .add(rows.getString("COLUMN_NAME"));
      }
    }
    return indexes.values().stream().anyMatch(c -> c.size() == 1 && column.equals(c.get(0)));
  }

  /**
   * Returns the name equal to {@code wanted}, or else the one equal ignoring case (MySQL's
   * columns), or null.
   */
  private static String find(Iterable<String> names, String wanted) {
    String ignoringCase = null;
    for (String name : names) {
      if (name.equals(wanted)) {
        return name;
      }
      if (ignoringCase == null && name.equalsIgnoreCase(wanted)) {
        ignoringCase = name;
      }
    }
    return ignoringCase;
  }

  private static boolean isInteger(int type) {
    return type == Types.BIGINT
        || type == Types.INTEGER
        || type == Types.SMALLINT
        || type == Types.TINYINT;
  }
}
