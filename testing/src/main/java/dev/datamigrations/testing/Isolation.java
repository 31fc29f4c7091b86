package dev.datamigrations.testing;

/**
 * How a {@link MigrationTester} on a database of yours keeps its test's tables apart from other
 * tests'.
 */
public enum Isolation {
  /**
   * A schema of its own per tester, created when it is built and dropped, with everything in it,
   * when it is closed: {@code CREATE SCHEMA} on PostgreSQL and H2, {@code CREATE DATABASE} on MySQL
   * and MariaDB. Every connection the tester hands out starts in it, and the runner's history table
   * lives there. The default.
   */
  SCHEMA_PER_TEST,
  /**
   * None: the tester works in the connections' own schema and leaves everything in place when
   * closed. Isolate the tests yourself (a fresh container or database per test class) and clean up
   * between tests.
   */
  NONE
}
