package dev.datamigrations.runtime;

import org.jdbi.v3.core.Handle;

/**
 * Proves on MariaDB that a runner whose connection the server kills ({@code KILL CONNECTION}) at
 * any step of migrate, up, down, rollback, a backfill's batches or a backfill's down ends, and that
 * running the verb again completes it with each effect applied exactly once; see {@link
 * FaultHarness}.
 */
class MariaDbServerKillFaultTest extends ServerKillFaultContract {
  private static final TestDatabase DATABASE = TestDatabase.mariadb();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  String connectionIdSql() {
    return "SELECT CONNECTION_ID()";
  }

  @Override
  void terminate(Handle admin, long id) {
    try {
      admin.execute("KILL CONNECTION " + id);
    } catch (RuntimeException e) {
      // Unknown thread id: it closed on its own first.
    }
    awaitGone(admin, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?", id);
  }
}
