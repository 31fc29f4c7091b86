package dev.datamigrations.runtime.internal;

import java.time.Instant;

/** One row of the history table. */
public record AppliedMigration(
    long version,
    String description,
    String className,
    Instant appliedAt,
    long executionMillis,
    String appliedBy,
    String reason) {

  /** Returns a row that knows only its version, read by {@link HistoryTable#readVersionsCreatingIfAbsent}. */
  static AppliedMigration versionOnly(long version) {
    return new AppliedMigration(version, null, null, null, 0, null, null);
  }
}
