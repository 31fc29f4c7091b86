package dev.datamigrations.runtime.internal;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Says who applies a migration, for the history's {@code applied_by} column: computed once per run.
 */
final class AppliedBy {
  private AppliedBy() {}

  /**
   * Returns {@code "alice (db user app@host)"}, or {@code "db user app@host"} without an operator:
   * the runner's stated operator, the database user and the client host.
   */
  static String describe(String operator, Connection connection) {
    String user;
    try {
      user = connection.getMetaData().getUserName();
    } catch (SQLException e) {
      user = null;
    }
    String who =
        "db user "
            + (user == null || user.isBlank() ? "unknown" : user)
            + "@"
            + Hosts.localHostName();
    return operator == null || operator.isBlank() ? who : operator + " (" + who + ")";
  }
}
