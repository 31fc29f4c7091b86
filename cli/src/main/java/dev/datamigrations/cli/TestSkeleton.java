package dev.datamigrations.cli;

/**
 * The test that {@code new} writes next to a new migration, in the test source folder, as Rails'
 * generators do: a JUnit 5 test with the datamigrations-testing kit, which runs the migration on a
 * fresh database per test, on the schema its predecessors leave (see the README, "Testing your
 * migrations").
 */
final class TestSkeleton {
  private TestSkeleton() {}

  /** Returns the test's source text for migration {@code className} of {@code version}. */
  static String source(String packageName, String className, long version, boolean backfill) {
    String packageLine = packageName.isEmpty() ? "" : "package " + packageName + ";\n\n";
    String imports =
        backfill
            ? "import static org.junit.jupiter.api.Assertions.assertEquals;\n"
                + "\n"
                + "import dev.datamigrations.runtime.backfill.BackfillState;\n"
                + "import dev.datamigrations.testing.BackfillRun;\n"
                + "import dev.datamigrations.testing.DataMigrationsTest;\n"
                + "import dev.datamigrations.testing.MigrationTester;\n"
                + "import org.junit.jupiter.api.Test;\n"
            : "import static org.junit.jupiter.api.Assertions.assertTrue;\n"
                + "\n"
                + "import dev.datamigrations.testing.DataMigrationsTest;\n"
                + "import dev.datamigrations.testing.MigrationTester;\n"
                + "import org.junit.jupiter.api.Test;\n";
    return packageLine
        + imports
        + "\n"
        + "/**\n"
        + " * Tests {@link "
        + className
        + "} on a fresh database per test: H2 in memory unless junit-platform.properties\n"
        + " * names another (datamigrations.test.url), with the schema that datamigrations.test.schemaSetup builds.\n"
        + " */\n"
        + "@DataMigrationsTest\n"
        + "class "
        + className
        + "Test {\n"
        + "  private static final long VERSION = "
        + version
        + "L;\n"
        + "\n"
        + (backfill ? backfillTests() : migrationTests())
        + "}\n";
  }

  private static String migrationTests() {
    return "  @Test\n"
        + "  void appliesToTheDataItsPredecessorsLeave(MigrationTester tester) {\n"
        + "    tester.migrateBefore(VERSION).seed(handle -> {\n"
        + "      // Insert the rows this migration changes, for example:\n"
        + "      //   handle.execute(\"INSERT INTO customers (id, country) VALUES (1, NULL)\");\n"
        + "    });\n"
        + "\n"
        + "    tester.up(VERSION);\n"
        + "\n"
        + "    assertTrue(tester.isApplied(VERSION));\n"
        + "    tester.useHandle(handle -> {\n"
        + "      // Check what it changed, for example:\n"
        + "      //   assertEquals(\"FR\", handle.select(\"SELECT country FROM customers WHERE id = 1\").mapTo(String.class).one());\n"
        + "    });\n"
        + "  }\n"
        + "\n"
        + "  // Once down(Handle) is implemented, check that it restores the data:\n"
        + "  //   tester.assertReversible(VERSION, handle -> { /* the state before */ }, handle -> { /* after */ });\n"
        + "  // A transactional = false migration must be safe to run again: tester.assertIdempotent(VERSION);\n";
  }

  private static String backfillTests() {
    return "  @Test\n"
        + "  void processesEveryKeyInBatchesOfOne(MigrationTester tester) {\n"
        + "    tester.migrateBefore(VERSION).seed(handle -> {\n"
        + "      // Insert a few rows, with gaps between their keys, for example:\n"
        + "      //   handle.execute(\"INSERT INTO users (id, email) VALUES (1, 'A@X.COM'), (7, 'B@X.COM')\");\n"
        + "    });\n"
        + "\n"
        + "    // Batches of one key: every key is the first and the last of a batch.\n"
        + "    BackfillRun run = tester.runBackfill(VERSION, 1, (handle, batch) -> {\n"
        + "      // Check the rows of this batch (keys batch.first() to batch.last()), in its transaction.\n"
        + "    });\n"
        + "\n"
        + "    assertEquals(BackfillState.DONE, run.progress().state());\n"
        + "  }\n"
        + "\n"
        + "  @Test\n"
        + "  void canRunAgain(MigrationTester tester) {\n"
        + "    // A backfill whose history row is deleted runs again from its first key: the result must not change.\n"
        + "    tester.assertIdempotent(VERSION);\n"
        + "  }\n"
        + "\n"
        + "  // Once down(Handle) is implemented: tester.assertReversible(VERSION);\n";
  }
}
