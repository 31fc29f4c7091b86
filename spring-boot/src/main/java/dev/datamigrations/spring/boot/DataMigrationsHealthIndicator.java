package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.MigrationState;
import dev.datamigrations.runtime.MigrationStatus;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports the data migrations' health (Spring Boot 4): DOWN when a migration failed in this process or a
 * version is pending or cancelled; UP otherwise, with the running backfills and their progress as details.
 * Reads the history (no lock).
 */
public class DataMigrationsHealthIndicator implements HealthIndicator {
  private final MigrationRunner runner;
  private final FailureRecorder failures;

  public DataMigrationsHealthIndicator(MigrationRunner runner, FailureRecorder failures) {
    this.runner = runner;
    this.failures = failures;
  }

  @Override
  public Health health() {
    Health.Builder builder = Health.up();
    failures.lastFailure().ifPresent(f -> builder.down().withDetail("failed", f.getMessage()));
    List<MigrationStatus> status = runner.status();
    List<String> pending = versions(status, MigrationState.PENDING);
    List<String> cancelled = versions(status, MigrationState.CANCELLED);
    if (!pending.isEmpty()) {
      builder.down().withDetail("pending", pending);
    }
    if (!cancelled.isEmpty()) {
      builder.down().withDetail("cancelled", cancelled);
    }
    List<String> running =
        status.stream()
            .filter(s -> s.state() == MigrationState.RUNNING)
            .map(s -> s.version() + ": " + s.progress())
            .toList();
    if (!running.isEmpty()) {
      builder.withDetail("running", running);
    }
    return builder.withDetail("applied", versions(status, MigrationState.APPLIED).size()).build();
  }

  private static List<String> versions(List<MigrationStatus> status, MigrationState state) {
    return status.stream()
        .filter(s -> s.state() == state)
        .map(s -> s.version() + " (" + s.description() + ", " + s.className() + ")")
        .toList();
  }
}
