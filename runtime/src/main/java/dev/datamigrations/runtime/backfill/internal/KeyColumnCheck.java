package dev.datamigrations.runtime.backfill.internal;

import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.backfill.BackfillKeyException;
import dev.datamigrations.runtime.backfill.KeyRange;
import dev.datamigrations.runtime.internal.Dialect;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks, before a backfill starts, that its key can be walked in key ranges: each key column of a
 * type it can walk (an integer no wider than a signed {@code BIGINT}, text, or a UUID), {@code NOT
 * NULL} (a NULL key is in no range, so its row would never be processed), and the columns together
 * unique, in that order (the primary key or a unique index on exactly those columns, so that keyset
 * pagination reads that index in order). Asks only JDBC metadata ({@code getColumns}, {@code
 * getPrimaryKeys}, {@code getIndexInfo}), so it reads no row and changes nothing. Returns the key
 * columns' types.
 */
final class KeyColumnCheck {
  private static final String RULE =
      " A backfill's key is one column or a tuple of columns, each an integer (SMALLINT, INTEGER or BIGINT;"
          + " not BIGINT UNSIGNED), text or UUID column, NOT NULL, and unique together (the primary key or a"
          + " unique index on exactly those columns, in that order).";

  /** Why an {@code ENUM} or {@code SET} key column is refused, after its name and type. */
  static final String ENUMERATION =
      ", whose values sort in the order its type declares them but compare with a text value as"
          + " text, so keyset pagination would skip rows";

  private final Connection connection;
  private final Dialect dialect;
  private final MigrationDescriptor backfill;
  private final KeyRange keys;
  private final String outcome;
  private String catalog;
  private String schema;
  private String table;

  private KeyColumnCheck(
      Connection connection,
      Dialect dialect,
      MigrationDescriptor backfill,
      KeyRange keys,
      String outcome) {
    this.connection = connection;
    this.dialect = dialect;
    this.backfill = backfill;
    this.keys = keys;
    this.outcome = outcome;
  }

  /**
   * Returns the key columns' types, or throws {@link BackfillKeyException} naming the table, the
   * column and the fix if the key cannot be walked.
   */
  static List<KeyType> check(
      Connection connection, Dialect dialect, MigrationDescriptor backfill, KeyRange keys)
      throws SQLException {
    return check(connection, dialect, backfill, keys, NOT_STARTED);
  }

  /** What a refusal before the start says happened. */
  static final String NOT_STARTED = "The backfill was not started.";

  /** What a refusal of a started backfill (its key changed since) says happened. */
  static final String NOT_RESUMED =
      "Its workers did not start; the batches done so far stay done, and it resumes once its key can be walked.";

  /** Checks with {@code outcome} as the last sentence of a refusal. */
  static List<KeyType> check(
      Connection connection,
      Dialect dialect,
      MigrationDescriptor backfill,
      KeyRange keys,
      String outcome)
      throws SQLException {
    return new KeyColumnCheck(connection, dialect, backfill, keys, outcome).check();
  }

  private List<KeyType> check() throws SQLException {
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
      // Not in the current schema: the search path may find it in another one, but only one: the
      // checks below must read one table's columns, key and indexes, not those of several.
      String current = schema;
      schema = null;
      List<String> schemas = schemasWithTheTable(metadata);
      if (schemas.size() > 1) {
        throw refuse(
            "table "
                + keys.table()
                + " is not in the current schema "
                + current
                + " but in several others ("
                + String.join(", ", schemas)
                + "), so which one the backfill walks cannot be checked",
            "Name its schema: KeyRange.of(\"<schema>\", \""
                + keys.table()
                + "\", ...) in "
                + backfill.className()
                + ".");
      }
      if (schemas.size() == 1) {
        schema = schemas.get(0);
        columns = columns(metadata);
      }
    }
    String where = (keys.schema() == null ? "" : keys.schema() + ".") + keys.table();
    if (columns.isEmpty()) {
      throw refuse(
          "table " + where + " was not found",
          "Check KeyRange.of(...) in " + backfill.className() + ".");
    }
    List<String> found = new ArrayList<>();
    List<KeyType> types = new ArrayList<>();
    for (String keyColumn : keys.keyColumns()) {
      String column = find(columns.keySet(), dialect.fold(keyColumn));
      if (column == null) {
        throw refuse(
            "key column "
                + where
                + "."
                + keyColumn
                + " does not exist (the columns of "
                + where
                + ": "
                + columns.keySet()
                + ")",
            "Check KeyRange.of(...) in " + backfill.className() + ".");
      }
      found.add(column);
      types.add(type(where + "." + keyColumn, columns.get(column)));
    }
    List<String> primaryKey = primaryKey(metadata);
    boolean isPrimaryKey = primaryKey.equals(found);
    for (int i = 0; i < found.size(); i++) {
      String[] column = columns.get(found.get(i));
      boolean nullable = !column[2].equals(Integer.toString(DatabaseMetaData.columnNoNulls));
      boolean implied = isPrimaryKey && found.size() == 1 && dialect.primaryKeyIsNotNull(column[0]);
      if (nullable && !implied) {
        throw refuse(
            "key column "
                + where
                + "."
                + keys.keyColumns().get(i)
                + " accepts NULL, and a row whose key is NULL is in no batch, so it would never be"
                + " processed",
            "Declare the column NOT NULL (after filling its NULLs), or walk another key.");
      }
    }
    if (!isPrimaryKey) {
      List<List<String>> partial = new ArrayList<>();
      List<List<String>> unique = uniqueIndexes(metadata, partial);
      if (!unique.contains(found)) {
        String names = String.join(", ", keys.keyColumns());
        String sameColumns =
            java.util.stream.Stream.concat(java.util.stream.Stream.of(primaryKey), unique.stream())
                .filter(index -> index.size() == found.size() && index.containsAll(found))
                .map(index -> String.join(", ", index))
                .findFirst()
                .orElse(null);
        throw refuse(
            (found.size() == 1
                    ? "key column " + where + "." + names
                    : "key (" + names + ") of " + where)
                + " is neither the primary key nor covered by a unique index of its own"
                + (sameColumns == null
                    ? ""
                    : " in that order (the index is on (" + sameColumns + "))")
                + (sameColumns == null && partial.contains(found)
                    ? " (its unique index on them is partial, with a WHERE, so the rows outside it"
                        + " may repeat the key)"
                    : ""),
            sameColumns == null
                ? "Add one (CREATE UNIQUE INDEX ... ON "
                    + where
                    + " ("
                    + names
                    + ")), or walk the primary key."
                : "List the key columns in the index's order: (" + sameColumns + ").");
      }
    }
    return List.copyOf(types);
  }

  private KeyType type(String name, String[] column) {
    String typeName = column[0];
    int dataType = Integer.parseInt(column[1]);
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
    if (KeyType.isEnumeration(typeName)) {
      throw refuse(
          "key column " + name + " is " + typeName + ENUMERATION,
          "Walk the primary key or another integer, text or UUID column that is NOT NULL and"
              + " unique, or add one.");
    }
    return KeyType.ofColumn(dataType, typeName, dialect.hasUuidType())
        .orElseThrow(
            () ->
                refuse(
                    "key column "
                        + name
                        + " is "
                        + typeName
                        + ", not an integer, text or UUID column",
                    "Walk an integer, text or UUID column that is NOT NULL and unique (usually the primary"
                        + " key), or add one."));
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
            + " "
            + outcome);
  }

  /** Returns the schemas that hold a table of exactly the walked table's name, sorted. */
  private List<String> schemasWithTheTable(DatabaseMetaData metadata) throws SQLException {
    java.util.TreeSet<String> schemas = new java.util.TreeSet<>();
    String wanted = dialect.fold(keys.table());
    try (ResultSet rows = metadata.getTables(catalog, null, wanted, null)) {
      while (rows.next()) {
        // "_" is a wildcard in metadata patterns: keep the exact name only.
        if (find(List.of(rows.getString("TABLE_NAME")), wanted) != null) {
          schemas.add(rows.getString("TABLE_SCHEM"));
        }
      }
    }
    return new ArrayList<>(schemas);
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
    java.util.TreeMap<Integer, String> columns = new java.util.TreeMap<>();
    try (ResultSet rows = metadata.getPrimaryKeys(catalog, schema, table)) {
      while (rows.next()) {
        columns.put((int) rows.getShort("KEY_SEQ"), rows.getString("COLUMN_NAME"));
      }
    }
    return List.copyOf(columns.values());
  }

  /**
   * Returns the columns of each unique index that makes its columns unique, in index order: not a
   * partial one (with a {@code WHERE}: the rows outside it may repeat the key), which go to {@code
   * partial}, nor one on expressions (SQLite reports such a column without a name, PostgreSQL as
   * the expression's text).
   */
  private List<List<String>> uniqueIndexes(DatabaseMetaData metadata, List<List<String>> partial)
      throws SQLException {
    Map<String, java.util.TreeMap<Integer, String>> indexes = new LinkedHashMap<>();
    java.util.Set<String> partialNames =
        new java.util.HashSet<>(
            dialect.partialIndexes(
                connection, dialect.schemasAreCatalogs() ? null : schema, table));
    java.util.Set<String> expressions = new java.util.HashSet<>();
    try (ResultSet rows = metadata.getIndexInfo(catalog, schema, table, true, true)) {
      while (rows.next()) {
        if (rows.getShort("TYPE") == DatabaseMetaData.tableIndexStatistic
            || rows.getBoolean("NON_UNIQUE")) {
          continue;
        }
        String name = String.valueOf(rows.getString("INDEX_NAME"));
        String column = rows.getString("COLUMN_NAME");
        if (column == null) {
          expressions.add(name);
          continue;
        }
        if (rows.getString("FILTER_CONDITION") != null) {
          partialNames.add(name);
        }
        indexes
            .computeIfAbsent(name, n -> new java.util.TreeMap<>())
            .put((int) rows.getShort("ORDINAL_POSITION"), column);
      }
    }
    List<List<String>> columns = new ArrayList<>();
    for (Map.Entry<String, java.util.TreeMap<Integer, String>> index : indexes.entrySet()) {
      if (expressions.contains(index.getKey())) {
        continue;
      }
      (partialNames.contains(index.getKey()) ? partial : columns)
          .add(List.copyOf(index.getValue().values()));
    }
    return columns;
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
}
