package dev.datamigrations.testing;

/**
 * A {@link MigrationTester} refused what it was asked before changing anything, or could not set up
 * its database: an unknown version, an assertion that cannot apply to the migration (such as {@code
 * assertReversible} of an irreversible one), a version already applied, a schema that cannot be
 * created. The message says which and what to do. Not an {@link AssertionError}: the test is wrong,
 * not the migration.
 */
public class MigrationTestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MigrationTestException(String message) {
    super(message);
  }

  public MigrationTestException(String message, Throwable cause) {
    super(message, cause);
  }
}
