package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.internal.Identifiers;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link QueryBackfill} walks: a {@code SELECT} and the key columns of its result to page on
 * (unique and NOT NULL in the result; names as the result calls them, so alias them if needed).
 *
 * @param sql a {@code SELECT} (no trailing semicolon, no {@code ORDER BY} needed), used as a
 *     derived table
 * @param keyColumns the columns of its result that form the key, plain SQL identifiers
 */
public record BackfillQuery(String sql, List<String> keyColumns) {

  public BackfillQuery {
    Objects.requireNonNull(sql, "sql");
    sql = sql.strip();
    while (sql.endsWith(";")) {
      sql = sql.substring(0, sql.length() - 1).strip();
    }
    if (sql.isEmpty()) {
      throw new IllegalArgumentException("A BackfillQuery needs a SELECT");
    }
    keyColumns = List.copyOf(Objects.requireNonNull(keyColumns, "keyColumns"));
    if (keyColumns.isEmpty()) {
      throw new IllegalArgumentException("A BackfillQuery needs a key column to page on");
    }
    for (String column : keyColumns) {
      Identifiers.checkPlain("Backfill query key column", column);
    }
  }

  /** Returns the query {@code sql}, paged on {@code keyColumns} of its result. */
  public static BackfillQuery of(String sql, String... keyColumns) {
    return new BackfillQuery(sql, List.of(keyColumns));
  }
}
