package dev.datamigrations.cli;

import dev.datamigrations.runtime.BackfillCancelledException;
import dev.datamigrations.runtime.BackfillStateException;
import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.IrreversibleMigrationException;
import dev.datamigrations.runtime.MigrationFailedException;
import dev.datamigrations.runtime.MigrationLockException;
import dev.datamigrations.runtime.MigrationNotAppliedException;
import dev.datamigrations.runtime.OutOfOrderMigrationException;
import dev.datamigrations.runtime.UnknownMigrationVersionException;
import java.util.Locale;

/** Turns an exception from a command into its exit code and a one-paragraph message for standard error. */
final class Failures {

  /** An exit code and what to print. */
  record Failure(int exitCode, String message) {}

  private Failures() {}

  /** Returns the exit code and message for {@code e}; see {@link ExitCodes}. */
  static Failure describe(Throwable e) {
    if (e instanceof MigrationFailedException) {
      return new Failure(ExitCodes.MIGRATION_FAILED, "Error: " + e.getMessage());
    }
    if (e instanceof MigrationLockException) {
      return new Failure(
          ExitCodes.LOCK_TIMEOUT,
          nothingChanged(
              "Error: "
                  + e.getMessage()
                  + " On the command line: let the other run finish, or raise --lock-timeout."));
    }
    if (e instanceof OutOfOrderMigrationException) {
      return new Failure(
          ExitCodes.USAGE,
          nothingChanged(
              "Error: "
                  + e.getMessage()
                  + " On the command line: apply them with up VERSION, or run migrate without"
                  + " --refuse-out-of-order."));
    }
    if (e instanceof UnknownMigrationVersionException
        || e instanceof IrreversibleMigrationException
        || e instanceof MigrationNotAppliedException) {
      return new Failure(ExitCodes.USAGE, nothingChanged("Error: " + e.getMessage()));
    }
    if (e instanceof BackfillCancelledException) {
      return new Failure(ExitCodes.BACKFILL_NOT_DONE, "Error: " + e.getMessage());
    }
    if (e instanceof BackfillStateException) {
      return new Failure(ExitCodes.USAGE, "Error: " + e.getMessage());
    }
    if (e instanceof ConfigurationException) {
      return new Failure(ExitCodes.USAGE, "Error: " + e.getMessage());
    }
    if (e instanceof DataMigrationException) {
      return new Failure(ExitCodes.MIGRATION_FAILED, "Error: " + e.getMessage());
    }
    return new Failure(
        ExitCodes.MIGRATION_FAILED, "Error: " + e + " (run again with --verbose for the stack trace)");
  }

  /** Appends "Nothing was changed." unless the runtime's message already says so. */
  private static String nothingChanged(String message) {
    String lower = message.toLowerCase(Locale.ROOT);
    return lower.contains("nothing was changed") || lower.contains("nothing was run")
        ? message
        : message + " Nothing was changed.";
  }
}
