package dev.datamigrations.testing;

import org.junit.jupiter.api.BeforeEach;

/** The backfill shapes on PostgreSQL, in a schema of the test's own. */
class PostgresBackfillShapesTest extends BackfillShapesContract {
  private static final ServerDatabase SERVER = ServerDatabase.postgres();

  @Override
  @BeforeEach
  void buildTester() {
    SERVER.assumeReachable();
    super.buildTester();
  }

  @Override
  MigrationTester.Builder configure() {
    return MigrationTester.configure(new BackfillShapesCatalog())
        .url(SERVER.url(), SERVER.user(), SERVER.password());
  }
}
