package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.MigrationStatus;
import dev.datamigrations.runtime.Redaction;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BatchFailure;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/datamigrations}: every version known to the code or the history table, with its
 * state, description, class, when and by whom it was applied, how long it took, the reason, and a
 * started backfill's progress with its ETA and its latest failed batch attempts (a {@code FAILED}
 * backfill's errors). Reads only (no lock, creates nothing). {@link DataMigrationsControlEndpoint}
 * adds pause, resume and cancel when {@code datamigrations.actuator.write-operations=true}.
 */
@Endpoint(id = "datamigrations")
public class DataMigrationsEndpoint {
  private final MigrationRunner runner;

  public DataMigrationsEndpoint(MigrationRunner runner) {
    this.runner = runner;
  }

  /** Returns every version, ascending. */
  @ReadOperation
  public MigrationsReport migrations() {
    return new MigrationsReport(runner.status().stream().map(VersionReport::of).toList());
  }

  /** Every version, ascending. */
  public record MigrationsReport(List<VersionReport> migrations) {}

  /** One version, in the units a person reads. */
  public record VersionReport(
      long version,
      String state,
      String description,
      String className,
      boolean reversible,
      Instant appliedAt,
      String appliedBy,
      Long executionMs,
      String reason,
      BackfillReport backfill) {

    static VersionReport of(MigrationStatus status) {
      return new VersionReport(
          status.version(),
          status.state().name(),
          status.description(),
          status.className(),
          status.reversible(),
          status.appliedAt(),
          status.appliedBy(),
          status.executionTime() == null ? null : status.executionTime().toMillis(),
          status.reason(),
          status.progress() instanceof BackfillProgress progress
              ? BackfillReport.of(progress)
              : null);
    }
  }

  /**
   * A started backfill's progress; {@code failures} are its latest failed batch attempts since it
   * started or was last resumed (those that made a {@code FAILED} backfill fail among them), newest
   * first, at most {@value BackfillProgress#RECENT_FAILURES}.
   */
  public record BackfillReport(
      String state,
      long rowsDone,
      long estimatedTotal,
      double percent,
      long batchesDone,
      int batchSize,
      double rowsPerSecond,
      Long etaSeconds,
      Instant startedAt,
      Instant updatedAt,
      List<FailureReport> failures) {

    static BackfillReport of(BackfillProgress progress) {
      return new BackfillReport(
          progress.state().name(),
          progress.rowsDone(),
          progress.estimatedTotal(),
          progress.percent(),
          progress.batchesDone(),
          progress.batchSize(),
          progress.rowsPerSecond(),
          progress.eta() == null ? null : progress.eta().toSeconds(),
          progress.startedAt(),
          progress.updatedAt(),
          progress.recentFailures().stream().map(FailureReport::of).toList());
    }
  }

  /**
   * One failed attempt of a backfill's batch, as recorded in {@code <history>_errors}: the message
   * bounded and with credentials masked by the runtime (masked again here), without the stack trace
   * (the console's migration page and the command line's {@code status} show it).
   */
  public record FailureReport(
      long batch,
      String keys,
      int attempt,
      String errorClass,
      String message,
      Instant failedAt,
      String worker,
      String outcome) {

    static FailureReport of(BatchFailure failure) {
      return new FailureReport(
          failure.batchNumber(),
          failure.keys(),
          failure.attempt(),
          failure.errorClass(),
          failure.message() == null ? null : Redaction.redact(failure.message()),
          failure.failedAt(),
          failure.worker(),
          failure.outcome());
    }
  }
}
