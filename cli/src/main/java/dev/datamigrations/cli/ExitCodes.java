package dev.datamigrations.cli;

/**
 * The exit codes of the command line: the contract a deploy script relies on.
 *
 * <ul>
 *   <li>{@value #SUCCESS}: success.
 *   <li>{@value #MIGRATION_FAILED}: a migration failed; its message, printed to standard error, says whether its
 *       changes were rolled back.
 *   <li>{@value #USAGE}: usage or configuration error: bad arguments, unknown version, {@code down} of a
 *       version that is not applied, irreversible {@code down}, out-of-order refusal, no catalog, cannot
 *       connect. Nothing was changed.
 *   <li>{@value #LOCK_TIMEOUT}: another run held the data-migration lock for longer than the lock timeout.
 *   <li>{@value #PENDING}: {@code pending --check} found pending migrations.
 *   <li>{@value #BACKFILL_NOT_DONE}: {@code work} stopped before the backfill was done (it was cancelled), or
 *       {@code migrate} reached a cancelled backfill.
 * </ul>
 */
public final class ExitCodes {
  /** Success. */
  public static final int SUCCESS = 0;
  /** A migration failed; the message says whether its changes were rolled back. */
  public static final int MIGRATION_FAILED = 1;
  /** Bad arguments or configuration; nothing was changed. */
  public static final int USAGE = 2;
  /** Another run holds the lock. */
  public static final int LOCK_TIMEOUT = 3;
  /** {@code pending --check} found pending migrations. */
  public static final int PENDING = 4;
  /** A backfill was cancelled: {@code work} stopped before it was done, or {@code migrate} refused to pass it. */
  public static final int BACKFILL_NOT_DONE = 5;

  /** The {@code --help} footer; a constant because picocli reads it from an annotation. */
  static final String HELP_FOOTER =
      "%nExit codes:%n"
          + "  0  success%n"
          + "  1  a migration failed; the message says whether its changes were rolled back%n"
          + "  2  usage or configuration error, nothing changed: bad arguments, no catalog,%n"
          + "     cannot connect, unknown version, down of a version not applied,%n"
          + "     irreversible down, out-of-order refused%n"
          + "  3  lock timeout: another run holds the data-migration lock, nothing changed%n"
          + "  4  pending --check found pending migrations%n"
          + "  5  a backfill is cancelled: work stopped before it was done, or migrate%n"
          + "     refused to go past it (resume VERSION continues it)%n"
          + "%nEnvironment: DATAMIGRATIONS_URL, DATAMIGRATIONS_USER, DATAMIGRATIONS_PASSWORD%n"
          + "stand in for --url, --user and --password.";

  private ExitCodes() {}
}
