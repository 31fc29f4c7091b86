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
    return compared('>', false);
  }

  /**
   * Returns the condition "the key is the one bound later with {@link #bindAfter}, or after it":
   * the lower end of a batch's range.
   */
  String atOrAfter() {
    return compared('>', true);
  }

  /**
   * Returns the condition "the key is the one bound later with {@link #bindAfter}, or before it":
   * the upper end of a batch's range.
   */
  String atOrBefore() {
    return compared('<', true);
  }

  /**
   * Returns the key compared with a bound key in the key's order, {@code direction} {@code >} or
   * {@code <}, the bound itself included if {@code inclusive}; every form binds the same parameters
   * ({@link #bindAfter}).
   */
  private String compared(char direction, boolean inclusive) {
    String last = direction + (inclusive ? "=" : "");
    if (columns.size() == 1) {
      return columns.get(0) + " " + last + " ?";
    }
    StringBuilder sql =
        new StringBuilder(columns.get(0)).append(' ').append(direction).append("= ? AND ");
    if (rowValues) {
      sql.append('(').append(list()).append(") ").append(last).append(" (");
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
      sql.append(columns.get(i))
          .append(' ')
          .append(i == columns.size() - 1 ? last : String.valueOf(direction))
          .append(" ?)");
    }
    return sql.append(')').toString();
  }

  /**
   * Binds the parameters of {@link #after()}, {@link #atOrAfter()} or {@link #atOrBefore()} from
   * {@code index} on; returns the next free index.
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
