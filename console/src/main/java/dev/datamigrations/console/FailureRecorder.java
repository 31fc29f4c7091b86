package dev.datamigrations.console;

import dev.datamigrations.runtime.MigrationFailedException;
import dev.datamigrations.runtime.MigrationListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Records every failed migration run in {@code <history table>_failures}, so that the console can
 * show it: version, direction, when (UTC), by whom, the error's class, message and stack trace with
 * its causes. Bounded: the message is cut at {@value FailureTable#MESSAGE_LIMIT} characters, the
 * trace at {@value FailureTable#TRACE_LIMIT}, and only the newest {@value
 * FailureTable#KEEP_PER_VERSION} failures of a version are kept. JDBC URLs and {@code password=}
 * pairs are removed before anything is written.
 *
 * <pre>{@code
 * MigrationRunner runner = MigrationRegistry.configure(jdbi)
 *     .listener(FailureRecorder.of(dataSource, null, "data_migrations", "deploy-bot"))
 *     .build();
 * }</pre>
 *
 * <p>Writes on a connection of its own in auto-commit, after the runner rolled the failed migration
 * back; creates the table on first use. A failure to record is logged and never hides the
 * migration's own failure.
 */
public final class FailureRecorder implements MigrationListener {
  private static final System.Logger LOG = System.getLogger(FailureRecorder.class.getName());

  private final DataSource dataSource;
  private final Tables tables;
  private final String operator;

  private FailureRecorder(DataSource dataSource, Tables tables, String operator) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.tables = tables;
    this.operator = operator;
  }

  /**
   * Returns a recorder into {@code schema.<table>_failures} (schema null: the connection's current
   * one) that names {@code operator} as who ran the failed migration.
   */
  public static FailureRecorder of(
      DataSource dataSource, String schema, String table, String operator) {
    return new FailureRecorder(dataSource, new Tables(schema, table), operator);
  }

  /**
   * Returns a recorder into {@code data_migrations_failures} naming the system user as the
   * operator.
   */
  public static FailureRecorder of(DataSource dataSource) {
    return of(dataSource, null, "data_migrations", System.getProperty("user.name"));
  }

  @Override
  public void failed(MigrationFailedException failure) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      FailureTable.createIfAbsent(connection, tables);
      FailureTable.insert(
          connection, tables, FailureTable.Entry.of(failure, operator, System.currentTimeMillis()));
    } catch (SQLException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Could not record the failure of data migration "
              + failure.migration()
              + " in "
              + tables.failures()
              + ": "
              + Redaction.scrub(String.valueOf(e)));
    }
  }
}
