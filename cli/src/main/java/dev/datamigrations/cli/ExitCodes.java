package dev.datamigrations.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The exit codes of the command line: the contract a deploy script relies on. Each is defined and
 * described here once, in {@link #MEANINGS}: {@code --help} prints those texts, and the README's
 * exit-code table must say the same ({@code ExitCodesDocumentationTest} checks it, code by code).
 *
 * <p>Which code a failure gets is decided by {@link Failures}, by the exception's type, with one
 * rule above the types: a failure after this run applied (or reverted) something exits {@value
 * #PARTLY_APPLIED}, whatever the exception.
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

  /**
   * A backfill was cancelled: {@code work} stopped before it was done, or {@code migrate} refused
   * to pass it.
   */
  public static final int BACKFILL_NOT_DONE = 5;

  /**
   * Some migrations were applied or reverted, then the run failed; the message lists them and the
   * failure.
   */
  public static final int PARTLY_APPLIED = 6;

  /**
   * A dry run ({@code --dry-run}) completed and found a migration that would fail or be refused;
   * nothing was changed.
   */
  public static final int DRY_RUN_WOULD_FAIL = 7;

  /**
   * A backfill failed: its batches failed past the threshold ({@code work}, {@code finalize},
   * {@code migrate}), or {@code migrate} refused to go past a backfill that had failed.
   */
  public static final int BACKFILL_FAILED = 8;

  /** {@code validate} (or a migrate that validates) found applied migrations whose code changed. */
  public static final int CHANGED = 9;

  /**
   * One exit code and what it means, in the words {@code --help}, the README and the Maven plugin's
   * build failures use.
   */
  public record Meaning(int code, String text) {}

  /** Every exit code, ascending, with its meaning: the one description of the contract. */
  public static final List<Meaning> MEANINGS =
      List.of(
          new Meaning(SUCCESS, "success"),
          new Meaning(
              MIGRATION_FAILED,
              "a migration failed before anything else of this run changed; the message says exactly what was and"
                  + " was not rolled back"),
          new Meaning(
              USAGE,
              "usage or configuration error, nothing changed: bad arguments, no or several registries found, cannot"
                  + " connect, unknown version, down of a version not applied, irreversible down or rollback,"
                  + " out-of-order refused, a backfill verb its state does not allow (pause of a done backfill),"
                  + " a history edit that would not be true (baseline over existing history, mark-applied or skip of"
                  + " an applied version or a started backfill, unmark of a version that ran, a missing --reason),"
                  + " a CSV backfill given no file, a malformed one or another one than it started with"),
          new Meaning(
              LOCK_TIMEOUT,
              "lock timeout before this run changed anything: another run held the data-migration lock for longer"
                  + " than --lock-timeout"),
          new Meaning(PENDING, "pending --check found pending migrations"),
          new Meaning(
              BACKFILL_NOT_DONE,
              "a backfill is cancelled: work stopped before it was done, or migrate refused to go past it (resume"
                  + " VERSION continues it)"),
          new Meaning(
              PARTLY_APPLIED,
              "partly applied: this run applied (or reverted) the migrations the message lists, which stay so, then"
                  + " failed as 1, 3, 5 or 8 describe (the message says which); this code wins over the others"),
          new Meaning(
              DRY_RUN_WOULD_FAIL,
              "--dry-run completed and a migration would fail or be refused (its row says which and why);"
                  + " nothing changed. A dry run that completes with every migration succeeding or not"
                  + " dry-runnable (non-transactional, backfills) exits 0"),
          new Meaning(
              BACKFILL_FAILED,
              "a backfill failed: a batch failed its last attempt, or more than half of the recent attempts"
                  + " failed (the message shows the last error; done batches stay done), or migrate refused to go"
                  + " past a failed backfill (fix the cause, then resume VERSION)"),
          new Meaning(
              CHANGED,
              "validate found applied migrations whose code changed since they ran (the message names"
                  + " each); accept-checksum VERSION --reason TEXT accepts one"));

  private static final int HELP_WIDTH = 80;
  private static final String HELP_INDENT = "     ";

  private ExitCodes() {}

  /**
   * Returns the {@code --help} footer: {@link #MEANINGS}, wrapped, then the environment variables.
   */
  static String helpFooter() {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("Exit codes:");
    for (Meaning meaning : MEANINGS) {
      wrap("  " + meaning.code() + "  ", meaning.text(), lines);
    }
    lines.add("");
    lines.add("Environment: DATAMIGRATIONS_URL, DATAMIGRATIONS_USER, DATAMIGRATIONS_PASSWORD");
    lines.add("stand in for --url, --user and --password.");
    // picocli formats the footer: %n is its line break, and the texts hold no other %.
    return String.join("%n", lines);
  }

  /**
   * Adds {@code text} after {@code prefix}, as lines of at most {@value #HELP_WIDTH} columns,
   * indented.
   */
  private static void wrap(String prefix, String text, List<String> lines) {
    StringBuilder line = new StringBuilder(prefix);
    boolean hasWord = false;
    for (String word : text.split(" ")) {
      if (hasWord && line.length() + 1 + word.length() > HELP_WIDTH) {
        lines.add(line.toString());
        line = new StringBuilder(HELP_INDENT);
        hasWord = false;
      }
      line.append(hasWord ? " " : "").append(word);
      hasWord = true;
    }
    lines.add(line.toString());
  }
}
