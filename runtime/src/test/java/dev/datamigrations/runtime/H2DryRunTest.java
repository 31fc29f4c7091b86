package dev.datamigrations.runtime;

/** The dry-run suite on H2. */
class H2DryRunTest extends DryRunContract {
  private static final TestDatabase DATABASE = TestDatabase.h2();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  boolean commitsDdlImplicitly() {
    return true;
  }

  @Override
  boolean lockIsATableRow() {
    return true;
  }
}
