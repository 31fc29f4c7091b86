package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.MigrationDescriptor;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * Writes the history row of an applied migration, a plain one ({@link StepRunner}) or a backfill
 * (its last worker): the one place that builds a row. Who applied it ({@code applied_by}) is asked
 * once per connection.
 */
public final class HistoryWriter {
  private final HistoryTable table;
  private final String operator;
  private final String reason;
  private Connection describedConnection;
  private String appliedBy;

  /**
   * @param operator who runs it, or null
   * @param reason why, or null
   */
  public HistoryWriter(HistoryTable table, String operator, String reason) {
    this.table = table;
    this.operator = operator;
    this.reason = reason;
  }

  /** Returns the table it writes to. */
  public HistoryTable table() {
    return table;
  }

  /**
   * Inserts the row of {@code migration}, applied in {@code took}, in whatever transaction is open.
   */
  public synchronized void applied(
      Connection connection, MigrationDescriptor migration, Duration took) throws SQLException {
    if (connection != describedConnection) {
      appliedBy = AppliedBy.describe(operator, connection);
      describedConnection = connection;
    }
    table.insert(
        connection,
        new AppliedMigration(
            migration.version(),
            migration.description(),
            migration.className(),
            Instant.now(),
            took.toMillis(),
            appliedBy,
            reason));
  }
}
