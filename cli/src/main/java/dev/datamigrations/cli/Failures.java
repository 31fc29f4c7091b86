package dev.datamigrations.cli;

import dev.datamigrations.runtime.backfill.BackfillCancelledException;
import dev.datamigrations.runtime.backfill.BackfillStateException;
import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.IrreversibleMigrationException;
import dev.datamigrations.runtime.MigrationFailedException;
import dev.datamigrations.runtime.MigrationLockException;
import dev.datamigrations.runtime.MigrationNotAppliedException;
import dev.datamigrations.runtime.OutOfOrderMigrationException;
import dev.datamigrations.runtime.UnknownMigrationVersionException;
import dev.datamigrations.runtime.Redaction;

/**
 * Turns an exception from a command into its exit code and a one-paragraph message for standard error, by the
 * exception's type and facts ({@link DataMigrationException#completedBefore()}), never by its text. Every message
 * is {@link Redaction redacted}.
 */
final class Failures {

  /** An exit code and what to print. */
  record Failure(int exitCode, String message) {}

  private Failures() {}

  /** Returns the exit code and message for {@code e}; see {@link ExitCodes}. {@code secrets} are masked. */
  static Failure describe(Throwable e, String... secrets) {
    Failure failure = byType(e);
    int exitCode = failure.exitCode();
    if (e instanceof DataMigrationException d && !d.completedBefore().isEmpty()) {
      // The runtime's message lists what was applied before the failure; the exit code says so too.
      exitCode = ExitCodes.PARTLY_APPLIED;
    }
    return new Failure(exitCode, Redaction.redact(failure.message(), secrets));
  }

  private static Failure byType(Throwable e) {
    boolean nothingDone = !(e instanceof DataMigrationException d) || d.completedBefore().isEmpty();
    // Said only where it is a fact: a refusal or a lock timeout before this run changed anything. The runtime's
    // refusals of down, rollback and up say it themselves.
    String nothingChanged = nothingDone ? " Nothing was changed." : "";
    if (e instanceof MigrationFailedException) {
      return new Failure(ExitCodes.MIGRATION_FAILED, "Error: " + e.getMessage());
    }
    if (e instanceof MigrationLockException) {
      return new Failure(
          ExitCodes.LOCK_TIMEOUT,
          "Error: "
              + e.getMessage()
              + " On the command line: let the other run finish, or raise --lock-timeout."
              + nothingChanged);
    }
    if (e instanceof OutOfOrderMigrationException) {
      return new Failure(
          ExitCodes.USAGE,
          "Error: "
              + e.getMessage()
              + " On the command line: apply them with up VERSION, or run migrate without"
              + " --refuse-out-of-order."
              + nothingChanged);
    }
    if (e instanceof UnknownMigrationVersionException
        || e instanceof IrreversibleMigrationException
        || e instanceof MigrationNotAppliedException) {
      return new Failure(ExitCodes.USAGE, "Error: " + e.getMessage());
    }
    if (e instanceof BackfillCancelledException) {
      return new Failure(ExitCodes.BACKFILL_NOT_DONE, "Error: " + e.getMessage());
    }
    if (e instanceof BackfillStateException || e instanceof ConfigurationException) {
      return new Failure(ExitCodes.USAGE, "Error: " + e.getMessage());
    }
    if (e instanceof DataMigrationException) {
      return new Failure(ExitCodes.MIGRATION_FAILED, "Error: " + e.getMessage());
    }
    return new Failure(
        ExitCodes.MIGRATION_FAILED, "Error: " + e + " (run again with --verbose for the stack trace)");
  }
}
