package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationRunner;

/**
 * Takes over what happens at start-up, like Boot's {@code FlywayMigrationStrategy}: when a bean of
 * this type exists, start-up calls it instead of migrating (or verifying). It still runs after
 * Flyway and Liquibase and before the beans that depend on database initialization.
 */
@FunctionalInterface
public interface DataMigrationsStrategy {

  /** Does whatever start-up should do with {@code runner}; an exception fails start-up. */
  void run(MigrationRunner runner);
}
