package dev.datamigrations.testing;

/** The backfill shapes on the default database: H2 in memory. */
class H2BackfillShapesTest extends BackfillShapesContract {

  @Override
  MigrationTester.Builder configure() {
    return MigrationTester.configure(new BackfillShapesCatalog());
  }
}
