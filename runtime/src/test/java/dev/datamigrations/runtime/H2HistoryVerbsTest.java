package dev.datamigrations.runtime;

/** Checksums, marks and the history table's upgrade on H2. */
class H2HistoryVerbsTest extends HistoryVerbsContract {
  private static final TestDatabase DATABASE = TestDatabase.h2();

  @Override
  TestDatabase database() {
    return DATABASE;
  }
}
