package dev.datamigrations.runtime;

import java.util.List;

/**
 * Thrown by {@code up}/{@code down}/{@code rollback} (and the backfill verbs) for a version that is
 * not in the code, before anything changes; the message lists the known ones.
 */
public class UnknownMigrationVersionException extends MigrationRefusedException {
  private static final long serialVersionUID = 2L;

  private final long version;
  private final List<Long> knownVersions;

  /**
   * @param version the version asked for, or the applied one that is no longer in the code
   * @param knownVersions every version in the code, ascending
   */
  public UnknownMigrationVersionException(String message, long version, List<Long> knownVersions) {
    super(message);
    this.version = version;
    this.knownVersions = List.copyOf(knownVersions);
  }

  /** Returns the version that is not in the code. */
  public long version() {
    return version;
  }

  /** Returns every version in the code, ascending (the message lists at most a few of them). */
  public List<Long> knownVersions() {
    return knownVersions;
  }
}
