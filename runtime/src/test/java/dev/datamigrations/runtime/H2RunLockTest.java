package dev.datamigrations.runtime;

import java.util.Arrays;
import java.util.List;

/** The run-lock suite on H2: schema PUBLIC, names folded to upper case. */
class H2RunLockTest extends RunLockContract {
  private static final TestDatabase DATABASE = TestDatabase.h2();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  List<String> schemaSpellings() {
    return Arrays.asList(null, "PUBLIC", "public");
  }

  @Override
  boolean tableNamesIgnoreCase() {
    return true;
  }
}
