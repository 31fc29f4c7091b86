package dev.datamigrations.runtime.internal;

import java.util.Collection;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The versions-only read of the history ({@link HistoryTable#readVersionsCreatingIfAbsent}): which
 * versions are applied, and nothing else, so that no row with an empty description or class can be
 * asked for.
 */
public final class AppliedVersions implements AppliedHistory {
  private final NavigableSet<Long> versions;

  public AppliedVersions(Collection<Long> versions) {
    this.versions = new TreeSet<>(versions);
  }

  @Override
  public boolean isApplied(long version) {
    return versions.contains(version);
  }

  @Override
  public long newestVersion() {
    return versions.isEmpty() ? Long.MIN_VALUE : versions.last();
  }

  /** Returns empty: this read has no rows. */
  @Override
  public Optional<AppliedMigration> row(long version) {
    return Optional.empty();
  }
}
