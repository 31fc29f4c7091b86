package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.AppliedAs;
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
    table.insert(
        connection,
        new AppliedMigration(
            migration.version(),
            migration.description(),
            migration.className(),
            Instant.now(),
            took.toMillis(),
            appliedBy(connection),
            reason,
            migration.checksum().orElse(null),
            AppliedAs.RUN,
            null));
  }

  /**
   * Inserts the row of a version marked {@code how} without running, with {@code reason} (this
   * writer's own reason is the run's, not the mark's), in whatever transaction is open.
   */
  public synchronized void marked(
      Connection connection,
      long version,
      String description,
      String className,
      String checksum,
      AppliedAs how,
      String reason)
      throws SQLException {
    table.insert(
        connection,
        new AppliedMigration(
            version,
            description,
            className,
            Instant.now(),
            0,
            appliedBy(connection),
            reason,
            checksum,
            how,
            null));
  }

  /** Returns who writes: the operator, the database user and the client host. */
  public synchronized String appliedBy(Connection connection) {
    if (connection != describedConnection) {
      appliedBy = AppliedBy.describe(operator, connection);
      describedConnection = connection;
    }
    return appliedBy;
  }
}
