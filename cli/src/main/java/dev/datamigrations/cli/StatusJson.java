package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationState;
import dev.datamigrations.runtime.MigrationStatus;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import java.util.List;
import java.util.StringJoiner;

/**
 * Formats {@code status --format json} and {@code pending --format json}: one document, the shape
 * documented in the README ("Output for scripts") and fixed by {@link #FORMAT_VERSION}. Fields are
 * never dropped: an absent value is {@code null}.
 */
final class StatusJson {
  /**
   * Raised only if a field changes meaning or disappears; new fields may be added without raising
   * it.
   */
  static final int FORMAT_VERSION = 1;

  private StatusJson() {}

  /**
   * Returns {@code {"formatVersion": 1, "migrations": [...], "summary": {...}}}: {@code migrations}
   * lists {@code shown} in order, {@code summary} counts {@code all}.
   */
  static String document(List<MigrationStatus> shown, List<MigrationStatus> all) {
    StringJoiner migrations = new StringJoiner(",\n    ", "[\n    ", "\n  ]").setEmptyValue("[]");
    shown.forEach(status -> migrations.add(migration(status)));
    return "{\n  \"formatVersion\": "
        + FORMAT_VERSION
        + ",\n  \"migrations\": "
        + migrations
        + ",\n  \"summary\": "
        + summary(all)
        + "\n}";
  }

  private static String migration(MigrationStatus status) {
    return "{\"version\": "
        + status.version()
        + ", \"state\": "
        + Json.string(status.state().name())
        + ", \"description\": "
        + Json.string(status.description())
        + ", \"class\": "
        + Json.string(status.className())
        + ", \"reversible\": "
        + status.reversible()
        + ", \"appliedAt\": "
        + Json.instant(status.appliedAt())
        + ", \"appliedBy\": "
        + Json.string(status.appliedBy())
        + ", \"durationMillis\": "
        + Json.number(status.executionTime() == null ? null : status.executionTime().toMillis())
        + ", \"reason\": "
        + Json.string(status.reason())
        + ", \"backfill\": "
        + backfill(status.progress() instanceof BackfillProgress progress ? progress : null)
        + "}";
  }

  private static String backfill(BackfillProgress progress) {
    if (progress == null) {
      return "null";
    }
    return "{\"state\": "
        + Json.string(progress.state().name())
        + ", \"percent\": "
        + Json.decimal(progress.percent())
        + ", \"rowsDone\": "
        + progress.rowsDone()
        + ", \"estimatedTotal\": "
        + progress.estimatedTotal()
        + ", \"batchesDone\": "
        + progress.batchesDone()
        + ", \"batchSize\": "
        + progress.batchSize()
        + ", \"rowsPerSecond\": "
        + Json.decimal(progress.rowsPerSecond())
        + ", \"etaSeconds\": "
        + Json.number(progress.eta() == null ? null : progress.eta().toSeconds())
        + ", \"startedAt\": "
        + Json.instant(progress.startedAt())
        + ", \"updatedAt\": "
        + Json.instant(progress.updatedAt())
        + ", \"longestBatchMillis\": "
        + Json.number(progress.longestBatch() == null ? null : progress.longestBatch().toMillis())
        + ", \"recentFailures\": "
        + failures(progress)
        + "}";
  }

  private static String failures(BackfillProgress progress) {
    StringJoiner failures = new StringJoiner(", ", "[", "]");
    for (var failure : progress.recentFailures()) {
      failures.add(
          "{\"batch\": "
              + failure.batchNumber()
              + ", \"keys\": "
              + Json.string(failure.keys())
              + ", \"attempt\": "
              + failure.attempt()
              + ", \"errorClass\": "
              + Json.string(failure.errorClass())
              + ", \"message\": "
              + Json.string(failure.message())
              + ", \"failedAt\": "
              + Json.instant(failure.failedAt())
              + ", \"worker\": "
              + Json.string(failure.worker())
              + ", \"outcome\": "
              + Json.string(failure.outcome())
              + "}");
    }
    return failures.toString();
  }

  private static String summary(List<MigrationStatus> all) {
    StringJoiner summary = new StringJoiner(", ", "{", "}");
    for (MigrationState state : MigrationState.values()) {
      long count = all.stream().filter(s -> s.state() == state).count();
      summary.add(Json.string(state.name().toLowerCase(java.util.Locale.ROOT)) + ": " + count);
    }
    return summary.toString();
  }
}
