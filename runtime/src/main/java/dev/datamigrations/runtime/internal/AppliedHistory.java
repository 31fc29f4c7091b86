package dev.datamigrations.runtime.internal;

import java.util.Optional;

/**
 * What one read of the history knows: which versions are applied ({@link AppliedVersions}), and for
 * a full read ({@link History}) each version's row.
 */
public sealed interface AppliedHistory permits AppliedVersions, History {

  boolean isApplied(long version);

  /** Returns the highest applied version, or {@link Long#MIN_VALUE} if nothing is applied. */
  long newestVersion();

  /** Returns the row of {@code version}: empty if it is not applied, or this read has no rows. */
  Optional<AppliedMigration> row(long version);
}
