package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.MigrationState;
import dev.datamigrations.runtime.MigrationStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Works out the data migrations' health for the indicators of Spring Boot 4 ({@link
 * DataMigrationsHealthIndicator}) and Spring Boot 3 ({@code datamigrations-spring-boot-actuator3}),
 * so both report the same: DOWN when a migration failed in this process or a version is pending or
 * cancelled; UP otherwise, with the running backfills and their progress as details. Reads the
 * history (no lock, no transaction of its own beyond the reads).
 */
public final class DataMigrationsHealth {
  private final MigrationRunner runner;
  private final FailureRecorder failures;

  /** Creates the check on {@code runner}'s history and the failures {@code failures} heard. */
  public DataMigrationsHealth(MigrationRunner runner, FailureRecorder failures) {
    this.runner = Objects.requireNonNull(runner, "runner");
    this.failures = Objects.requireNonNull(failures, "failures");
  }

  /**
   * The result: whether it is up, and the details in the order they are shown.
   *
   * @param up false when a migration failed in this process or a version is pending or cancelled
   * @param details {@code failed}, {@code pending}, {@code cancelled}, {@code running} (each only
   *     when there is one) and {@code applied} (a count)
   */
  public record Report(boolean up, Map<String, Object> details) {
    public Report {
      details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
  }

  /** Reads the history and returns the report. */
  public Report check() {
    Map<String, Object> details = new LinkedHashMap<>();
    failures.lastFailure().ifPresent(f -> details.put("failed", f.getMessage()));
    List<MigrationStatus> status = runner.status();
    List<String> pending = versions(status, MigrationState.PENDING);
    List<String> cancelled = versions(status, MigrationState.CANCELLED);
    if (!pending.isEmpty()) {
      details.put("pending", pending);
    }
    if (!cancelled.isEmpty()) {
      details.put("cancelled", cancelled);
    }
    List<String> running =
        status.stream()
            .filter(s -> s.state() == MigrationState.RUNNING)
            .map(s -> s.version() + ": " + s.progress())
            .toList();
    if (!running.isEmpty()) {
      details.put("running", running);
    }
    details.put("applied", versions(status, MigrationState.APPLIED).size());
    boolean up = !details.containsKey("failed") && pending.isEmpty() && cancelled.isEmpty();
    return new Report(up, details);
  }

  private static List<String> versions(List<MigrationStatus> status, MigrationState state) {
    return status.stream()
        .filter(s -> s.state() == state)
        .map(s -> s.version() + " (" + s.description() + ", " + s.className() + ")")
        .toList();
  }
}
