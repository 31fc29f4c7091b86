package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.internal.Identifiers;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Backfill} walks: a table, its key (one column or a tuple of columns that is unique,
 * indexed and NOT NULL: the primary key or a unique index on exactly those columns), and optionally
 * a filter. Batches are key ranges found with keyset pagination over the key tuple ({@code WHERE
 * (a, b) > (?, ?) ORDER BY a, b LIMIT n}), never {@code OFFSET}. Key columns may be integers, text
 * or UUIDs, mixed.
 *
 * <pre>{@code
 * KeyRange.of("users", "id")                                  // one integer key
 * KeyRange.of("crm", "users", "id")                           // in schema crm
 * KeyRange.of("orders", List.of("tenant_id", "id"))           // a composite key
 * KeyRange.of("users", "id").where("status = 'active'")       // only the active rows form batches
 * }</pre>
 *
 * @param schema the table's schema, or null for the connection's current one
 * @param table the table, a plain SQL identifier
 * @param keyColumns the key columns in the order of the unique index, plain SQL identifiers
 * @param filter a SQL condition on the table's columns that selects the rows to walk, or null for
 *     all
 */
public record KeyRange(String schema, String table, List<String> keyColumns, String filter) {

  public KeyRange {
    if (schema != null) {
      Identifiers.checkPlain("Backfill schema", schema);
    }
    Identifiers.checkPlain("Backfill table", Objects.requireNonNull(table, "table"));
    keyColumns = List.copyOf(Objects.requireNonNull(keyColumns, "keyColumns"));
    if (keyColumns.isEmpty()) {
      throw new IllegalArgumentException("A KeyRange of " + table + " needs a key column");
    }
    for (String column : keyColumns) {
      Identifiers.checkPlain("Backfill key column", column);
    }
    if (keyColumns.stream().distinct().count() != keyColumns.size()) {
      throw new IllegalArgumentException(
          "The key columns of " + table + " repeat a column: " + keyColumns);
    }
    if (filter != null && filter.isBlank()) {
      filter = null;
    }
  }

  /** A range of the single column {@code keyColumn} over {@code schema.table}, unfiltered. */
  public KeyRange(String schema, String table, String keyColumn) {
    this(schema, table, List.of(Objects.requireNonNull(keyColumn, "keyColumn")), null);
  }

  /**
   * Returns the range of {@code keyColumn} over {@code table} in the connection's current schema.
   */
  public static KeyRange of(String table, String keyColumn) {
    return new KeyRange(null, table, keyColumn);
  }

  /** Returns the range of {@code keyColumn} over {@code schema.table}. */
  public static KeyRange of(String schema, String table, String keyColumn) {
    return new KeyRange(schema, table, keyColumn);
  }

  /**
   * Returns the range of the key tuple {@code keyColumns} (e.g. {@code tenant_id, id}) over {@code
   * table}, in the connection's current schema.
   */
  public static KeyRange of(String table, List<String> keyColumns) {
    return new KeyRange(null, table, keyColumns, null);
  }

  /** Returns the range of the key tuple {@code keyColumns} over {@code schema.table}. */
  public static KeyRange of(String schema, String table, List<String> keyColumns) {
    return new KeyRange(schema, table, keyColumns, null);
  }

  /**
   * Returns this range restricted to the rows that match {@code condition}, a SQL condition on the
   * walked table's columns ({@code "status = 'active'"}): only those rows form batches, and the
   * estimate counts only them. The batches are still key ranges, so a batch's range can hold rows
   * that do not match: {@code process} must apply the same condition ({@link #condition()} does).
   */
  public KeyRange where(String condition) {
    return new KeyRange(schema, table, keyColumns, Objects.requireNonNull(condition, "condition"));
  }

  /**
   * Returns the single key column.
   *
   * @throws IllegalStateException if the key is composite: use {@link #keyColumns()}
   */
  public String keyColumn() {
    if (keyColumns.size() != 1) {
      throw new IllegalStateException(
          "The key of " + table + " is composite " + keyColumns + ": use keyColumns()");
    }
    return keyColumns.get(0);
  }

  /**
   * Returns the SQL condition that selects one batch's rows of the walked table: the key between
   * the batch's first and last tuple, both included, and the filter if there is one. Its named
   * parameters are {@link Batch#parameters()}:
   *
   * <pre>{@code
   * handle.createUpdate("UPDATE orders SET total = ... WHERE " + keys().condition())
   *     .bindMap(batch.parameters())
   *     .execute();
   * }</pre>
   *
   * A one-column key gives {@code id BETWEEN :first_0 AND :last_0}; a tuple gives {@code tenant_id
   * BETWEEN :first_0 AND :last_0 AND (tenant_id, id) >= (:first_0, :first_1) AND (tenant_id, id) <=
   * (:last_0, :last_1)} (row values, understood by PostgreSQL, MySQL/MariaDB, H2 and SQLite 3.15+;
   * the first column's bound lets MySQL/MariaDB use the index). The columns are unqualified.
   */
  public String condition() {
    String first = keyColumns.get(0);
    StringBuilder sql = new StringBuilder(first + " BETWEEN :first_0 AND :last_0");
    if (keyColumns.size() > 1) {
      String columns = String.join(", ", keyColumns);
      StringBuilder low = new StringBuilder();
      StringBuilder high = new StringBuilder();
      for (int i = 0; i < keyColumns.size(); i++) {
        low.append(i == 0 ? "" : ", ").append(":first_").append(i);
        high.append(i == 0 ? "" : ", ").append(":last_").append(i);
      }
      sql.append(" AND (").append(columns).append(") >= (").append(low).append(")");
      sql.append(" AND (").append(columns).append(") <= (").append(high).append(")");
    }
    if (filter != null) {
      // The closing parenthesis on a line of its own: the filter may end in a -- comment.
      sql.append(" AND (").append(filter).append("\n)");
    }
    return sql.toString();
  }
}
