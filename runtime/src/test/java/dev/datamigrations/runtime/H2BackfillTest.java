package dev.datamigrations.runtime;

/** The backfill suite on H2. */
class H2BackfillTest extends BackfillContract {
  private static final TestDatabase DATABASE = TestDatabase.h2();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
