package dev.datamigrations.testing;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * The rows of several tables at one moment, to compare two states of a database: before {@code up}
 * and after {@code down}, or after a migration's first and second run.
 *
 * @param tables each table's snapshot, by the name it was asked for (or, when every table was read,
 *     its name in lower case), in name order
 */
public record DatabaseSnapshot(Map<String, TableSnapshot> tables) {
  private static final int ROWS_SHOWN = 10;

  public DatabaseSnapshot {
    tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
  }

  /** Reads {@code tables} (plain names, or {@code schema.table}). */
  public static DatabaseSnapshot read(Handle handle, List<String> tables) {
    Map<String, TableSnapshot> snapshots = new LinkedHashMap<>();
    for (String table : new TreeSet<>(tables)) {
      snapshots.put(table, TableSnapshot.read(handle, table));
    }
    return new DatabaseSnapshot(snapshots);
  }

  /**
   * Reads every table of the connection's current schema (database on MySQL and MariaDB) except
   * those whose name starts with {@code excludedPrefix} (the runner's own: the history table and
   * its {@code _lock}, {@code _progress}, {@code _batches} and {@code _failures} tables).
   */
  public static DatabaseSnapshot readAll(Handle handle, String excludedPrefix) {
    Map<String, TableSnapshot> snapshots = new LinkedHashMap<>();
    userTables(handle, excludedPrefix)
        .forEach((name, quoted) -> snapshots.put(name, TableSnapshot.read(handle, name, quoted)));
    return new DatabaseSnapshot(snapshots);
  }

  /**
   * Returns the tables of the current schema whose name does not start with {@code excludedPrefix}:
   * each name in lower case, mapped to the name quoted as the database spells it (MySQL and MariaDB
   * names can be case sensitive).
   */
  static Map<String, String> userTables(Handle handle, String excludedPrefix) {
    String prefix = excludedPrefix.toLowerCase(Locale.ROOT);
    Map<String, String> names = new TreeMap<>();
    try {
      Connection connection = handle.getConnection();
      DatabaseMetaData meta = connection.getMetaData();
      String quote = meta.getIdentifierQuoteString().trim();
      try (ResultSet tables =
          meta.getTables(connection.getCatalog(), connection.getSchema(), "%", null)) {
        while (tables.next()) {
          String type = String.valueOf(tables.getString("TABLE_TYPE")).toUpperCase(Locale.ROOT);
          String actual = tables.getString("TABLE_NAME");
          String name = actual.toLowerCase(Locale.ROOT);
          if ((type.equals("TABLE") || type.equals("BASE TABLE")) && !name.startsWith(prefix)) {
            names.put(name, quote + actual.replace(quote, quote + quote) + quote);
          }
        }
      }
    } catch (SQLException e) {
      throw new MigrationTestException("Cannot list the tables to snapshot: " + e.getMessage(), e);
    }
    return names;
  }

  /** Returns one table's snapshot. */
  public TableSnapshot table(String name) {
    TableSnapshot table = tables.get(name);
    if (table == null) {
      throw new IllegalArgumentException(
          "No table " + name + " in this snapshot; it has " + tables.keySet());
    }
    return table;
  }

  /**
   * Returns what differs from {@code expected}, one line per difference (tables added or gone,
   * columns, up to 10 rows per side and table); empty when both hold the same rows.
   */
  public List<String> differencesFrom(DatabaseSnapshot expected) {
    List<String> lines = new ArrayList<>();
    for (String name : expected.tables.keySet()) {
      if (!tables.containsKey(name)) {
        lines.add(name + ": table no longer there");
      }
    }
    for (Map.Entry<String, TableSnapshot> table : tables.entrySet()) {
      TableSnapshot before = expected.tables.get(table.getKey());
      if (before == null) {
        lines.add(table.getKey() + ": table not there before");
      } else {
        lines.addAll(table.getValue().differencesFrom(before, ROWS_SHOWN));
      }
    }
    return lines;
  }
}
