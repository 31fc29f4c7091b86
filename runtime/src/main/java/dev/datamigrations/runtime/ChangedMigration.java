package dev.datamigrations.runtime;

import java.time.Instant;

/**
 * One finding of {@link MigrationRunner#validate()}: a migration that ran, whose code changed
 * since.
 *
 * @param migration the migration as the code describes it now
 * @param appliedChecksum the checksum of its source when it ran (stored in its history row)
 * @param checksum the checksum of its source now
 * @param appliedAt when it ran (UTC)
 * @param appliedBy who ran it
 */
public record ChangedMigration(
    MigrationDescriptor migration,
    String appliedChecksum,
    String checksum,
    Instant appliedAt,
    String appliedBy) {

  /** Returns "20240831020834 (Fix emails, com.acme.FixEmails): ran ... as abcd..., now 1234...". */
  @Override
  public String toString() {
    return migration
        + ": ran on "
        + appliedAt
        + " by "
        + appliedBy
        + " with checksum "
        + appliedChecksum
        + ", the code's is now "
        + checksum;
  }
}
