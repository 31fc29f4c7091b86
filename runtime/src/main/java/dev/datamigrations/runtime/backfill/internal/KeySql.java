package dev.datamigrations.runtime.backfill.internal;

import dev.datamigrations.runtime.backfill.Key;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the keyset-pagination SQL over a key tuple: "after this key" as a row-value comparison
 * {@code a >= ? AND (a, b) > (?, ?)} where the database understands row values, else the expanded
 * form {@code a >= ? AND (a > ? OR (a = ? AND b > ?))}. The leading {@code a >= ?} repeats what the
 * comparison implies so that every database (MySQL/MariaDB in particular, whose range optimizer
 * ignores row comparisons) reads the key's index from the cursor on rather than from its start.
 *
 * @param columns the key columns, quoted
 * @param types their key types
 * @param rowValues whether to compare row values, else the expanded form
 */
record KeySql(List<String> columns, List<KeyType> types, boolean rowValues) {

  KeySql {
    columns = List.copyOf(columns);
    types = List.copyOf(types);
  }

  /** Returns {@code c1, c2, ...}. */
  String list() {
    return String.join(", ", columns);
  }

  /** Returns the condition "the key is after the one bound later with {@link #bindAfter}". */
  String after() {
    if (columns.size() == 1) {
      return columns.get(0) + " > ?";
    }
    StringBuilder sql = new StringBuilder(columns.get(0)).append(" >= ? AND ");
    if (rowValues) {
      sql.append('(').append(list()).append(") > (");
      for (int i = 0; i < columns.size(); i++) {
        sql.append(i == 0 ? "?" : ", ?");
      }
      return sql.append(')').toString();
    }
    sql.append('(');
    for (int i = 0; i < columns.size(); i++) {
      sql.append(i == 0 ? "" : " OR ").append('(');
      for (int j = 0; j < i; j++) {
        sql.append(columns.get(j)).append(" = ? AND ");
      }
      sql.append(columns.get(i)).append(" > ?)");
    }
    return sql.append(')').toString();
  }

  /**
   * Binds the parameters of {@link #after()} from {@code index} on; returns the next free index.
   */
  int bindAfter(PreparedStatement statement, int index, Key key) throws SQLException {
    List<Integer> order = new ArrayList<>();
    if (columns.size() == 1) {
      order.add(0);
    } else {
      order.add(0);
      if (rowValues) {
        for (int i = 0; i < columns.size(); i++) {
          order.add(i);
        }
      } else {
        for (int i = 0; i < columns.size(); i++) {
          for (int j = 0; j <= i; j++) {
            order.add(j);
          }
        }
      }
    }
    for (int column : order) {
      types.get(column).bind(statement, index++, key.get(column));
    }
    return index;
  }

  /** Returns {@code c1, c2, ...} for an {@code ORDER BY}. */
  String orderBy() {
    return list();
  }
}
