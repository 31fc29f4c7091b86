/**
 * The test kit: {@link dev.datamigrations.testing.MigrationTester} tests one data migration against
 * a real database (reversible, idempotent, a backfill in tiny batches), and {@link
 * dev.datamigrations.testing.DataMigrationsExtension} gives each JUnit 5 test a tester on a
 * database or schema of its own. Tests must exercise the migrations as production runs them: every
 * run goes through the real {@link dev.datamigrations.runtime.MigrationRunner}.
 */
package dev.datamigrations.testing;
