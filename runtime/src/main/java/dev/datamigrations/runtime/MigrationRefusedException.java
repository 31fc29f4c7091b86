package dev.datamigrations.runtime;

/**
 * The base of every refusal: the runner refused what it was asked before changing anything for it
 * (an unknown, unapplied or irreversible version, an out-of-order one under REFUSE, another
 * runner's lock that did not come, a statement that would commit a transactional migration, a
 * backfill in a state or with a key that does not allow it). Catch this type to tell "nothing was
 * changed" from a failure that rolled back or left changes; what the verb had completed before the
 * refusal stays, and {@link #completedBefore()} lists it.
 */
public class MigrationRefusedException extends DataMigrationException {
  private static final long serialVersionUID = 1L;

  public MigrationRefusedException(String message) {
    super(message);
  }

  public MigrationRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
