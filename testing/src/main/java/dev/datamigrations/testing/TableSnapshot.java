package dev.datamigrations.testing;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The rows of one table at one moment, in a canonical order (sorted by their text, then by each
 * value's type: SQL NULL and the text 'null' differ), so that two snapshots are equal exactly when
 * the table holds the same rows, however the database returns them. Values are read with {@code
 * getObject}; binary values become hex text, large objects their content, decimals lose trailing
 * zeros.
 *
 * @param table the table's name, as given
 * @param columns the column names, lower case, in the table's order
 * @param rows the rows, each a list of values (null for SQL NULL), sorted
 */
public record TableSnapshot(String table, List<String> columns, List<List<Object>> rows) {

  public TableSnapshot {
    columns = List.copyOf(columns);
    rows = rows.stream().map(row -> Collections.unmodifiableList(new ArrayList<>(row))).toList();
  }

  /** Reads every row of {@code table} (a plain identifier, unquoted) through {@code handle}. */
  public static TableSnapshot read(Handle handle, String table) {
    if (!table.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
      throw new MigrationTestException(
          "Cannot snapshot table '"
              + table
              + "': give a plain table name, or schema.table (letters, digits, _).");
    }
    return read(handle, table, table);
  }

  /** Reads every row of the table {@code from} names in SQL (quoted or not), as {@code table}. */
  static TableSnapshot read(Handle handle, String table, String from) {
    return handle
        .createQuery("SELECT * FROM " + from)
        .scanResultSet(
            (supplier, context) -> {
              ResultSet resultSet = supplier.get();
              ResultSetMetaData meta = resultSet.getMetaData();
              List<String> columns = new ArrayList<>();
              for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i).toLowerCase(Locale.ROOT));
              }
              List<List<Object>> rows = new ArrayList<>();
              while (resultSet.next()) {
                List<Object> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) {
                  row.add(normalized(resultSet.getObject(i)));
                }
                rows.add(row);
              }
              rows.sort(ORDER);
              return new TableSnapshot(table, columns, rows);
            });
  }

  /** Returns how many rows the table held. */
  public int size() {
    return rows.size();
  }

  /**
   * Returns what differs from {@code expected}, one line each (columns, rows only there, rows only
   * here), at most {@code limit} rows per side; empty when the two are equal.
   */
  public List<String> differencesFrom(TableSnapshot expected, int limit) {
    List<String> lines = new ArrayList<>();
    if (!columns.equals(expected.columns)) {
      lines.add(table + ": columns " + expected.columns + " became " + columns);
      return lines;
    }
    List<List<Object>> missing = minus(expected.rows, rows);
    List<List<Object>> extra = minus(rows, expected.rows);
    describe(lines, "row no longer there", missing, limit);
    describe(lines, "row not there before", extra, limit);
    return lines;
  }

  private void describe(List<String> lines, String what, List<List<Object>> some, int limit) {
    for (int i = 0; i < Math.min(limit, some.size()); i++) {
      lines.add(table + ": " + what + ": " + row(some.get(i)));
    }
    if (some.size() > limit) {
      lines.add(
          table + ": ... and " + (some.size() - limit) + " more " + what.replace("row ", "rows "));
    }
  }

  private String row(List<Object> values) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      parts.add(columns.get(i) + "=" + values.get(i));
    }
    return "(" + String.join(", ", parts) + ")";
  }

  /**
   * Returns the rows of {@code from} that {@code others} lacks, counting duplicates: in time linear
   * in the rows (a table of a million rows whose every row changed is compared in seconds).
   */
  private static List<List<Object>> minus(List<List<Object>> from, List<List<Object>> others) {
    Map<List<Object>, Integer> left = new HashMap<>();
    for (List<Object> row : others) {
      left.merge(row, 1, Integer::sum);
    }
    List<List<Object>> result = new ArrayList<>();
    for (List<Object> row : from) {
      if (left.merge(row, -1, Integer::sum) < 0) {
        result.add(row);
      }
    }
    return result;
  }

  /**
   * Rows by their text, then by each value's type and text, SQL NULL first: two values that print
   * alike (the text {@code 'null'} and SQL NULL, {@code 1} and {@code '1'}) never leave the order
   * to the database.
   */
  private static final Comparator<List<Object>> ORDER =
      Comparator.comparing(TableSnapshot::text).thenComparing(TableSnapshot::typedText);

  private static String text(List<Object> row) {
    return row.toString();
  }

  private static String typedText(List<Object> row) {
    StringBuilder text = new StringBuilder();
    for (Object value : row) {
      text.append(
              value == null ? "\u0000" : "\u0001" + value.getClass().getName() + "\u0002" + value)
          .append('\u0003');
    }
    return text.toString();
  }

  private static Object normalized(Object value) throws SQLException {
    if (value instanceof byte[] bytes) {
      return "0x" + HexFormat.of().formatHex(bytes);
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.signum() == 0 ? BigDecimal.ZERO : decimal.stripTrailingZeros();
    }
    if (value instanceof Blob blob) {
      return "0x" + HexFormat.of().formatHex(blob.getBytes(1, (int) blob.length()));
    }
    if (value instanceof Clob clob) {
      try (Reader reader = clob.getCharacterStream()) {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        for (int n; (n = reader.read(buffer)) > 0; ) {
          text.append(buffer, 0, n);
        }
        return text.toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (value instanceof Array array) {
      Object[] elements = (Object[]) array.getArray();
      List<Object> list = new ArrayList<>();
      for (Object element : elements) {
        list.add(normalized(element));
      }
      return list;
    }
    if (value instanceof Object[] elements) {
      return Arrays.asList(elements);
    }
    return value;
  }
}
