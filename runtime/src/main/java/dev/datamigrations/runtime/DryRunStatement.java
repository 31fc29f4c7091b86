package dev.datamigrations.runtime;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One statement a migration issued during a dry run, or a run of identical statements issued one
 * after the other (a loop of {@code UPDATE ... WHERE id = ?}).
 *
 * @param sql its SQL text, whitespace collapsed, cut after {@value #MAX_SQL_LENGTH} characters and
 *     with credentials masked ({@link Redaction}); bound parameters are never part of it
 * @param executions how often it ran: 1, the number of identical statements merged, or the size of
 *     a JDBC batch
 * @param rowsChanged the rows inserted, updated or deleted, as the JDBC update counts said; empty
 *     for a query, or when the driver did not tell ({@link java.sql.Statement#SUCCESS_NO_INFO})
 */
public record DryRunStatement(String sql, long executions, OptionalLong rowsChanged) {
  /** The longest SQL text kept, in characters; a longer one ends with {@code ...}. */
  public static final int MAX_SQL_LENGTH = 200;

  public DryRunStatement {
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(rowsChanged, "rowsChanged");
    if (executions < 1) {
      throw new IllegalArgumentException("executions must be at least 1, was " + executions);
    }
  }
}
