package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationRunner;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports the data migrations' health on Spring Boot 4, as {@link DataMigrationsHealth} works it
 * out: DOWN when a migration failed in this process, a backfill is FAILED (its latest errors as
 * details), or a version is pending or cancelled; UP otherwise, with the running backfills and
 * their progress as details. Reads the history (no lock).
 */
public class DataMigrationsHealthIndicator implements HealthIndicator {
  private final DataMigrationsHealth health;

  public DataMigrationsHealthIndicator(MigrationRunner runner, FailureRecorder failures) {
    this.health = new DataMigrationsHealth(runner, failures);
  }

  @Override
  public Health health() {
    DataMigrationsHealth.Report report = health.check();
    return (report.up() ? Health.up() : Health.down()).withDetails(report.details()).build();
  }
}
