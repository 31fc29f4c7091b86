package dev.datamigrations.runtime;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The dry-run suite on PostgreSQL through PgBouncer in transaction pooling mode: the dry run's one
 * transaction must stay on one server connection and be rolled back there, and the run lock must
 * still keep a real run out.
 */
class PgBouncerDryRunTest extends DryRunContract {
  private static PgBouncer bouncer;
  private static TestDatabase database;

  @BeforeAll
  static void startPgBouncer() throws Exception {
    TestDatabase.postgres().assumeReachable();
    String name = TestDatabase.database("PG");
    bouncer = PgBouncer.start(name);
    database =
        new TestDatabase(
            "PostgreSQL through PgBouncer (transaction pooling)",
            bouncer.url(name),
            "postgres",
            "",
            "\"");
  }

  @AfterAll
  static void stopPgBouncer() {
    if (bouncer != null) {
      bouncer.close();
    }
  }

  @Override
  TestDatabase database() {
    return database;
  }

  @Override
  boolean commitsDdlImplicitly() {
    return false;
  }

  @Override
  boolean runsSeveralStatementsInOneString() {
    return true;
  }
}
