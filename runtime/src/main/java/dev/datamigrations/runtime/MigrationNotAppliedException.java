package dev.datamigrations.runtime;

/**
 * Thrown by {@link MigrationRunner#down} for a version that is in the code but not applied; nothing
 * changes.
 */
public class MigrationNotAppliedException extends MigrationRefusedException {
  private static final long serialVersionUID = 2L;

  private final long version;

  /**
   * @param version the version that is not applied
   */
  public MigrationNotAppliedException(String message, long version) {
    super(message);
    this.version = version;
  }

  /** Returns the version that is not applied. */
  public long version() {
    return version;
  }
}
