package dev.datamigrations.runtime;

import org.jdbi.v3.core.Handle;

/**
 * Proves on PostgreSQL that a runner whose connection the server terminates ({@code
 * pg_terminate_backend}) at any step of migrate, up, down, rollback, a backfill's batches or a
 * backfill's down ends, and that running the verb again completes it with each effect applied
 * exactly once; see {@link FaultHarness}.
 */
class PostgresServerKillFaultTest extends ServerKillFaultContract {
  private static final TestDatabase DATABASE = TestDatabase.postgres();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  String connectionIdSql() {
    return "SELECT pg_backend_pid()";
  }

  @Override
  void terminate(Handle admin, long id) {
    admin
        .createQuery("SELECT pg_terminate_backend(?)")
        .bind(0, (int) id)
        .mapTo(Boolean.class)
        .one();
    awaitGone(admin, "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ?", id);
  }
}
