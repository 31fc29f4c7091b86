package dev.datamigrations.cli;

import dev.datamigrations.runtime.ChangedMigrationsException;
import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.HistoryEditRefusedException;
import dev.datamigrations.runtime.IrreversibleMigrationException;
import dev.datamigrations.runtime.MigrationFailedException;
import dev.datamigrations.runtime.MigrationLockException;
import dev.datamigrations.runtime.MigrationNotAppliedException;
import dev.datamigrations.runtime.OutOfOrderMigrationException;
import dev.datamigrations.runtime.Redaction;
import dev.datamigrations.runtime.UnknownMigrationVersionException;
import dev.datamigrations.runtime.backfill.BackfillCancelledException;
import dev.datamigrations.runtime.backfill.BackfillFailedException;
import dev.datamigrations.runtime.backfill.BackfillInputException;
import dev.datamigrations.runtime.backfill.BackfillStateException;
import java.util.List;

/**
 * Turns an exception from a command into its exit code and a one-paragraph message for standard
 * error: by the exception's type, looked up in {@link #RULES}, and its facts ({@link
 * DataMigrationException#completedBefore()}), never by its text. Every message is {@link Redaction
 * redacted}.
 *
 * <p>Precedence: a failure after this run applied (or reverted) something exits {@link
 * ExitCodes#PARTLY_APPLIED}, whatever its type, and its message (the runtime's) lists what stays
 * applied. Otherwise the first rule whose type the exception is an instance of decides; an
 * exception no rule names exits {@link ExitCodes#MIGRATION_FAILED} with its class and message.
 * Usage errors picocli finds while parsing never get here: they exit {@link ExitCodes#USAGE}.
 */
final class Failures {

  /** An exit code and what to print. */
  record Failure(int exitCode, String message) {}

  /**
   * One row of the table: an exception type, its exit code, and what the command line adds to the
   * exception's message (advice in the command line's terms).
   *
   * @param saysNothingChanged whether to add "Nothing was changed." when it is true (this run
   *     changed nothing before the failure); the other types' messages say it themselves, or it
   *     would be false
   */
  private record Rule(
      Class<? extends Throwable> type, int exitCode, String advice, boolean saysNothingChanged) {
    static Rule of(Class<? extends Throwable> type, int exitCode) {
      return new Rule(type, exitCode, "", false);
    }
  }

  /**
   * Exception type to exit code and message; the first match wins, so a type comes before its
   * supertypes.
   */
  private static final List<Rule> RULES =
      List.of(
          Rule.of(MigrationFailedException.class, ExitCodes.MIGRATION_FAILED),
          new Rule(
              MigrationLockException.class,
              ExitCodes.LOCK_TIMEOUT,
              " On the command line: let the other run finish, or raise --lock-timeout.",
              true),
          new Rule(
              OutOfOrderMigrationException.class,
              ExitCodes.USAGE,
              " On the command line: apply them with up VERSION, or run migrate without --refuse-out-of-order.",
              true),
          Rule.of(ChangedMigrationsException.class, ExitCodes.CHANGED),
          Rule.of(HistoryEditRefusedException.class, ExitCodes.USAGE),
          Rule.of(UnknownMigrationVersionException.class, ExitCodes.USAGE),
          Rule.of(IrreversibleMigrationException.class, ExitCodes.USAGE),
          Rule.of(MigrationNotAppliedException.class, ExitCodes.USAGE),
          Rule.of(BackfillCancelledException.class, ExitCodes.BACKFILL_NOT_DONE),
          Rule.of(BackfillFailedException.class, ExitCodes.BACKFILL_FAILED),
          Rule.of(BackfillStateException.class, ExitCodes.USAGE),
          Rule.of(BackfillInputException.class, ExitCodes.USAGE),
          Rule.of(ConfigurationException.class, ExitCodes.USAGE),
          Rule.of(DataMigrationException.class, ExitCodes.MIGRATION_FAILED));

  private Failures() {}

  /**
   * Returns the exit code and message for {@code e}; see {@link ExitCodes}. {@code secrets} are
   * masked.
   */
  static Failure describe(Throwable e, String... secrets) {
    boolean partlyApplied = e instanceof DataMigrationException d && !d.completedBefore().isEmpty();
    Failure failure =
        RULES.stream()
            .filter(rule -> rule.type().isInstance(e))
            .findFirst()
            .map(
                rule ->
                    new Failure(
                        partlyApplied ? ExitCodes.PARTLY_APPLIED : rule.exitCode(),
                        "Error: "
                            + e.getMessage()
                            + rule.advice()
                            // Said only where it is a fact: before this run changed anything.
                            + (rule.saysNothingChanged() && !partlyApplied
                                ? " Nothing was changed."
                                : "")))
            .orElseGet(
                () ->
                    new Failure(
                        ExitCodes.MIGRATION_FAILED,
                        "Error: " + e + " (run again with --verbose for the stack trace)"));
    return new Failure(failure.exitCode(), Redaction.redact(failure.message(), secrets));
  }
}
