package dev.datamigrations.runtime;

/**
 * Proves on PostgreSQL that a runner killed with SIGKILL at any step of migrate, up, down,
 * rollback, a backfill's batches or a backfill's down leaves each effect applied exactly once with
 * its history row, and that running the verb again ends and completes it; see {@link FaultHarness}.
 */
class PostgresKillNineFaultTest extends KillNineFaultContract {
  private static final TestDatabase DATABASE = TestDatabase.postgres();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
