package dev.datamigrations.spring.boot.actuator3;

import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.spring.boot.DataMigrationsHealth;
import dev.datamigrations.spring.boot.FailureRecorder;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Reports the data migrations' health on Spring Boot 3, as {@link DataMigrationsHealth} works it
 * out (the same as on Boot 4): DOWN when a migration failed in this process, a backfill is FAILED
 * (its latest errors as details), or a version is pending or cancelled; UP otherwise, with the
 * running backfills and their progress as details. Reads the history (no lock).
 */
public class DataMigrationsBoot3HealthIndicator implements HealthIndicator {
  private final DataMigrationsHealth health;

  public DataMigrationsBoot3HealthIndicator(MigrationRunner runner, FailureRecorder failures) {
    this.health = new DataMigrationsHealth(runner, failures);
  }

  @Override
  public Health health() {
    DataMigrationsHealth.Report report = health.check();
    return (report.up() ? Health.up() : Health.down()).withDetails(report.details()).build();
  }
}
