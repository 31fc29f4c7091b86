package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.internal.Identifiers;
import java.util.Objects;

/**
 * What a {@link Backfill} walks: a table and its integer key column (a primary key or another
 * unique, indexed, {@code BIGINT}-compatible column). Batches are key ranges found with keyset
 * pagination ({@code WHERE key > ? ORDER BY key LIMIT n}), so the column needs an index.
 *
 * @param schema the table's schema, or null for the connection's current one
 * @param table the table, a plain SQL identifier
 * @param keyColumn the key column, a plain SQL identifier
 */
public record KeyRange(String schema, String table, String keyColumn) {

  public KeyRange {
    if (schema != null) {
      Identifiers.checkPlain("Backfill schema", schema);
    }
    Identifiers.checkPlain("Backfill table", Objects.requireNonNull(table, "table"));
    Identifiers.checkPlain("Backfill key column", Objects.requireNonNull(keyColumn, "keyColumn"));
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
}
