package dev.datamigrations.cli;

/**
 * The exit codes of the command line: the contract a deploy script relies on, documented here, in the
 * {@code --help} footer ({@link #HELP_FOOTER}) and in the README, nowhere else.
 *
 * <ul>
 *   <li>{@value #SUCCESS}: success.
 *   <li>{@value #MIGRATION_FAILED}: a migration failed, and it was the first thing this run changed; its message,
 *       printed to standard error, says exactly what was and was not rolled back.
 *   <li>{@value #USAGE}: usage or configuration error: bad arguments, unknown version, {@code down} of a
 *       version that is not applied, irreversible {@code down}, out-of-order refusal, no catalog, cannot
 *       connect. Nothing was changed.
 *   <li>{@value #LOCK_TIMEOUT}: another run held the data-migration lock for longer than the lock timeout, before
 *       this run changed anything. Nothing was changed.
 *   <li>{@value #PENDING}: {@code pending --check} found pending migrations.
 *   <li>{@value #BACKFILL_NOT_DONE}: {@code work} stopped before the backfill was done (it was cancelled), or
 *       {@code migrate} reached a cancelled backfill before applying anything.
 *   <li>{@value #PARTLY_APPLIED}: partly applied: this run applied (or reverted) some migrations, which its
 *       message lists and which stay so, then failed for one of the reasons of 1, 3 or 5 (the message says which).
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
  /** Some migrations were applied or reverted, then the run failed; the message lists them and the failure. */
  public static final int PARTLY_APPLIED = 6;

  /** The {@code --help} footer; a constant because picocli reads it from an annotation. */
  static final String HELP_FOOTER =
      "%nExit codes:%n"
          + "  0  success%n"
          + "  1  a migration failed before anything else changed; the message says what was%n"
          + "     and was not rolled back%n"
          + "  2  usage or configuration error, nothing changed: bad arguments, no catalog,%n"
          + "     cannot connect, unknown version, down of a version not applied,%n"
          + "     irreversible down, out-of-order refused%n"
          + "  3  lock timeout before anything changed: another run holds the data-migration lock%n"
          + "  4  pending --check found pending migrations%n"
          + "  5  a backfill is cancelled: work stopped before it was done, or migrate%n"
          + "     refused to go past it (resume VERSION continues it)%n"
          + "  6  partly applied: the migrations the message lists were applied (or reverted)%n"
          + "     and stay so, then the run failed as 1, 3 or 5 describe%n"
          + "%nEnvironment: DATAMIGRATIONS_URL, DATAMIGRATIONS_USER, DATAMIGRATIONS_PASSWORD%n"
          + "stand in for --url, --user and --password.";

  private ExitCodes() {}
}
