package dev.datamigrations.runtime;

/** Failed batches, finalize, sub-batches on H2 (no statement sleep to time out; no throttle). */
class H2BackfillFailureTest extends BackfillFailureContract {
  private static final TestDatabase DATABASE = TestDatabase.h2();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
