package dev.datamigrations.console;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The names of the tables next to the history table that the console reads or writes: {@code
 * <table>_failures} (written by {@link FailureRecorder}) and {@code <table>_batches} (the
 * runtime's). Written unquoted, so that each database folds them the way the runtime's folded,
 * quoted names are stored.
 */
record Tables(String schema, String history) {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  Tables {
    if (schema != null && !PLAIN.matcher(schema).matches()) {
      throw new IllegalArgumentException(
          "Console schema must be a plain SQL identifier, was " + schema);
    }
    if (history == null || !PLAIN.matcher(history).matches() || history.length() > 54) {
      throw new IllegalArgumentException(
          "Console history table must be a plain SQL identifier of at most 54 characters, was "
              + history);
    }
  }

  String failures() {
    return qualified(history + "_failures");
  }

  String batches() {
    return qualified(history + "_batches");
  }

  private String qualified(String name) {
    return schema == null ? name : schema + "." + name;
  }

  /**
   * Returns whether {@code <history>_<suffix>} exists, looked up as written, in lower and in upper
   * case: without a schema in the connection's current catalog and schema; with one, in that schema
   * or (MySQL, MariaDB) that database.
   */
  boolean exists(Connection connection, String suffix) throws SQLException {
    DatabaseMetaData metaData = connection.getMetaData();
    String name = history + "_" + suffix;
    for (String candidate :
        new String[] {name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT)}) {
      if (schema == null) {
        if (found(metaData, connection.getCatalog(), null, candidate, connection.getSchema())) {
          return true;
        }
      } else {
        String folded = foldLike(schema, candidate, name);
        if (found(metaData, null, folded, candidate, null)
            || found(metaData, folded, null, candidate, null)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean found(
      DatabaseMetaData metaData,
      String catalog,
      String schemaPattern,
      String table,
      String currentSchema)
      throws SQLException {
    try (ResultSet tables = metaData.getTables(catalog, schemaPattern, table, null)) {
      while (tables.next()) {
        String tableSchema = tables.getString("TABLE_SCHEM");
        // Without a schema, only the connection's current schema counts (or any, where there are
        // none).
        if (currentSchema == null
            || tableSchema == null
            || tableSchema.equalsIgnoreCase(currentSchema)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String foldLike(String value, String candidate, String original) {
    if (candidate.equals(original)) {
      return value;
    }
    return candidate.equals(original.toLowerCase(Locale.ROOT))
        ? value.toLowerCase(Locale.ROOT)
        : value.toUpperCase(Locale.ROOT);
  }
}
