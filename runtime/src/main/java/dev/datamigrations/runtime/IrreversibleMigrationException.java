package dev.datamigrations.runtime;

import java.util.OptionalLong;

/**
 * Thrown by the default {@link Migration#down}, and by the runner when asked to revert a migration
 * that does not override it (before anything is changed).
 */
public class IrreversibleMigrationException extends MigrationRefusedException {
  private static final long serialVersionUID = 2L;

  /** The version, or null where it is not known: the default {@link Migration#down}. */
  private final Long version;

  private final String className;

  /**
   * For the default {@link Migration#down}, which knows its class but not its version.
   *
   * @param className the migration's class
   */
  public IrreversibleMigrationException(String message, String className) {
    super(message);
    this.version = null;
    this.className = className;
  }

  /**
   * For the runner, which refuses before anything changes.
   *
   * @param version the migration's version
   * @param className the migration's class
   */
  public IrreversibleMigrationException(String message, long version, String className) {
    super(message);
    this.version = version;
    this.className = className;
  }

  /**
   * Returns the migration's version; empty when thrown by the default {@link Migration#down}, which
   * does not know it.
   */
  public OptionalLong version() {
    return version == null ? OptionalLong.empty() : OptionalLong.of(version);
  }

  /** Returns the migration's class name. */
  public String className() {
    return className;
  }
}
