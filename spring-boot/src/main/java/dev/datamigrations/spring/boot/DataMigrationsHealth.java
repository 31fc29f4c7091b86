package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.MigrationState;
import dev.datamigrations.runtime.MigrationStatus;
import dev.datamigrations.runtime.Redaction;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BatchFailure;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Works out the data migrations' health for the indicators of Spring Boot 4 ({@link
 * DataMigrationsHealthIndicator}) and Spring Boot 3 ({@code datamigrations-spring-boot-actuator3}),
 * so both report the same: DOWN when a migration failed in this process, a backfill is FAILED (in
 * any process: the state is in the database), or a version is pending or cancelled; UP otherwise,
 * with the running backfills and their progress as details. DOWN rather than OUT_OF_SERVICE for a
 * FAILED backfill: it needs a person (a fix, then {@code resume}), like a failed migration, whereas
 * Boot's OUT_OF_SERVICE says "taken out on purpose". Reads the history (no lock, no transaction of
 * its own beyond the reads).
 */
public final class DataMigrationsHealth {
  private final MigrationRunner runner;
  private final FailureRecorder failures;

  /** Creates the check on {@code runner}'s history and the failures {@code failures} heard. */
  public DataMigrationsHealth(MigrationRunner runner, FailureRecorder failures) {
    this.runner = Objects.requireNonNull(runner, "runner");
    this.failures = Objects.requireNonNull(failures, "failures");
  }

  /** How many of a FAILED backfill's latest failed attempts the details show. */
  static final int ERRORS_SHOWN = 3;

  /** How many characters of each failed attempt's text the details show. */
  static final int ERROR_LENGTH = 300;

  /**
   * The result: whether it is up, and the details in the order they are shown.
   *
   * @param up false when a migration failed in this process, a backfill is FAILED, or a version is
   *     pending or cancelled
   * @param details {@code failed}, {@code failedBackfills}, {@code pending}, {@code cancelled},
   *     {@code running} (each only when there is one) and {@code applied} (a count); each failed
   *     backfill with its {@code version}, {@code description}, {@code className}, {@code progress}
   *     and {@code errors}: its latest failed batch attempts, newest first, at most {@value
   *     #ERRORS_SHOWN}, each cut to {@value #ERROR_LENGTH} characters, credentials masked, without
   *     keys or stack trace
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
    List<Map<String, Object>> failedBackfills =
        status.stream()
            .filter(s -> s.state() == MigrationState.FAILED)
            .map(DataMigrationsHealth::failedBackfill)
            .toList();
    if (!failedBackfills.isEmpty()) {
      details.put("failedBackfills", failedBackfills);
    }
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
    boolean up =
        !details.containsKey("failed")
            && failedBackfills.isEmpty()
            && pending.isEmpty()
            && cancelled.isEmpty();
    return new Report(up, details);
  }

  private static Map<String, Object> failedBackfill(MigrationStatus status) {
    Map<String, Object> backfill = new LinkedHashMap<>();
    backfill.put("version", status.version());
    backfill.put("description", status.description());
    backfill.put("className", status.className());
    if (status.progress() instanceof BackfillProgress progress) {
      backfill.put("progress", progress.toString());
      backfill.put(
          "errors",
          progress.recentFailures().stream()
              .limit(ERRORS_SHOWN)
              .map(DataMigrationsHealth::error)
              .toList());
    }
    return backfill;
  }

  /**
   * Returns {@code batch 3, attempt 2: java.lang.IllegalStateException: boom; its last attempt (3
   * of 3): the backfill failed}: no keys (they may be data) and no stack trace.
   */
  private static String error(BatchFailure failure) {
    String text =
        Redaction.redact(
            "batch "
                + failure.batchNumber()
                + ", attempt "
                + failure.attempt()
                + ": "
                + failure.errorClass()
                + (failure.message() == null || failure.message().isEmpty()
                    ? ""
                    : ": " + failure.message())
                + "; "
                + failure.outcome());
    return text.length() <= ERROR_LENGTH ? text : text.substring(0, ERROR_LENGTH - 3) + "...";
  }

  private static List<String> versions(List<MigrationStatus> status, MigrationState state) {
    return status.stream()
        .filter(s -> s.state() == state)
        .map(s -> s.version() + " (" + s.description() + ", " + s.className() + ")")
        .toList();
  }
}
