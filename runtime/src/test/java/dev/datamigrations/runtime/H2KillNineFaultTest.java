package dev.datamigrations.runtime;

/**
 * Proves on H2 that a runner killed with SIGKILL at any step of migrate, up, down, rollback, a
 * backfill's batches or a backfill's down leaves each effect applied exactly once with its history
 * row, and that running the verb again ends and completes it; see {@link FaultHarness}.
 */
class H2KillNineFaultTest extends KillNineFaultContract {
  /** Returns a database file of its own per verb: their loops run at the same time. */
  @Override
  TestDatabase database() {
    return TestDatabase.h2();
  }
}
