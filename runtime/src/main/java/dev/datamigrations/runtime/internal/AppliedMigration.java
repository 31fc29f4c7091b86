package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.AppliedAs;
import java.time.Instant;

/**
 * One row of the history table.
 *
 * @param checksum the migration's source checksum when the row was written, or null (rows written
 *     before checksums, or a migration whose registry has none)
 * @param appliedAs how the row came to be; {@link AppliedAs#RUN} for rows older than the column
 * @param audit later changes to the row (each accepted checksum), oldest first, or null
 */
public record AppliedMigration(
    long version,
    String description,
    String className,
    Instant appliedAt,
    long executionMillis,
    String appliedBy,
    String reason,
    String checksum,
    AppliedAs appliedAs,
    String audit) {

  public AppliedMigration {
    appliedAs = appliedAs == null ? AppliedAs.RUN : appliedAs;
  }
}
