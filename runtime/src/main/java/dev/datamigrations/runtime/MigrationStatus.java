package dev.datamigrations.runtime;

import java.time.Duration;
import java.time.Instant;

/**
 * One line of {@link MigrationRunner#status()}.
 *
 * @param version the version
 * @param state applied, pending, or applied but removed from the code
 * @param description from the code, or from the history table for a removed migration
 * @param className from the code, or from the history table for a removed migration
 * @param reversible whether {@code down} is implemented (false for a removed migration)
 * @param appliedAt when it was applied (UTC), null if pending
 * @param appliedBy who applied it (operator, database user, host), null if pending
 * @param executionTime how long it took, null if pending
 * @param reason the reason given by whoever ran it, null if none or pending
 * @param progress a started backfill's progress (running, paused, cancelled or done), null
 *     otherwise; the backfill layer's {@code BackfillProgress} has the details
 * @param appliedAs how its history row came to be (run, baseline, marked, skipped), null if it has
 *     none
 * @param checksum the checksum of its source in the code, null if removed or the registry has none
 * @param appliedChecksum the checksum stored with its history row, null if none (pending, or
 *     applied before checksums existed)
 * @param audit later changes to its history row (accepted checksums, with the old one, who and
 *     why), null if none
 */
public record MigrationStatus(
    long version,
    MigrationState state,
    String description,
    String className,
    boolean reversible,
    Instant appliedAt,
    String appliedBy,
    Duration executionTime,
    String reason,
    MigrationProgress progress,
    AppliedAs appliedAs,
    String checksum,
    String appliedChecksum,
    String audit) {

  /** Describes a version without checksums or marks. */
  public MigrationStatus(
      long version,
      MigrationState state,
      String description,
      String className,
      boolean reversible,
      Instant appliedAt,
      String appliedBy,
      Duration executionTime,
      String reason,
      MigrationProgress progress) {
    this(
        version,
        state,
        description,
        className,
        reversible,
        appliedAt,
        appliedBy,
        executionTime,
        reason,
        progress,
        null,
        null,
        null,
        null);
  }

  /** Describes a version without backfill progress. */
  public MigrationStatus(
      long version,
      MigrationState state,
      String description,
      String className,
      boolean reversible,
      Instant appliedAt,
      String appliedBy,
      Duration executionTime,
      String reason) {
    this(
        version,
        state,
        description,
        className,
        reversible,
        appliedAt,
        appliedBy,
        executionTime,
        reason,
        (MigrationProgress) null);
  }
}
