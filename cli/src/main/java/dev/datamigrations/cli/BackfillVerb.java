package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.Backfills;
import java.util.function.ToIntFunction;

/**
 * What a backfill command asks of the runner, one constant per command: its name, its help, the
 * call, and the exit code its outcome earns. {@code pause}, {@code resume} and {@code cancel} are
 * persisted state changes that every worker process sees, and succeed once made; {@code work}
 * succeeds only if the backfill got done.
 */
enum BackfillVerb {
  WORK(
      "work",
      new String[] {
        "Works on one backfill until it is done or cancelled (waits while it is paused); starts it if pending.",
        "Run several of these processes to share the batches (PostgreSQL, MySQL, MariaDB)."
      },
      Backfills::work,
      BackfillVerb::workExitCode),
  FINALIZE(
      "finalize",
      new String[] {
        "Runs what is left of one backfill in this process until it is done, for a deploy that needs it"
            + " finished: starts it if pending, resumes it if paused, joins its workers if running. Refuses a"
            + " cancelled or failed one (resume it first)."
      },
      (backfills, version) -> {
        backfills.ensureFinished(version);
        return backfills.progress(version).orElse(null);
      },
      progress -> ExitCodes.SUCCESS),
  PAUSE(
      "pause",
      new String[] {
        "Pauses a running backfill; its workers, in every process, finish their current batch and wait."
      },
      Backfills::pause,
      progress -> ExitCodes.SUCCESS),
  RESUME(
      "resume",
      new String[] {
        "Resumes a paused, cancelled or failed backfill where it stopped (a cancelled or failed one has no"
            + " workers left; run migrate or work again). A failed one's batches get all their attempts again."
      },
      Backfills::resume,
      progress -> ExitCodes.SUCCESS),
  CANCEL(
      "cancel",
      new String[] {
        "Cancels a running, paused or failed backfill; its workers stop after their current batch, and migrate"
            + " refuses to go past it until it is resumed. Done batches stay done."
      },
      Backfills::cancel,
      progress -> ExitCodes.SUCCESS);

  /** Done: success; failed: {@link ExitCodes#BACKFILL_FAILED}; cancelled or stopped: not done. */
  private static int workExitCode(BackfillProgress progress) {
    return switch (progress.state()) {
      case DONE -> ExitCodes.SUCCESS;
      case FAILED -> ExitCodes.BACKFILL_FAILED;
      default -> ExitCodes.BACKFILL_NOT_DONE;
    };
  }

  /**
   * The {@link Backfills} method for a verb (the constants above are the one place that names
   * them).
   */
  @FunctionalInterface
  interface Call {
    BackfillProgress apply(Backfills backfills, long version);
  }

  private final String commandName;
  private final String[] description;
  private final Call call;
  private final ToIntFunction<BackfillProgress> exitCode;

  BackfillVerb(
      String commandName,
      String[] description,
      Call call,
      ToIntFunction<BackfillProgress> exitCode) {
    this.commandName = commandName;
    this.description = description;
    this.call = call;
    this.exitCode = exitCode;
  }

  /** Returns the subcommand's name, {@code pause} for {@link #PAUSE}. */
  String commandName() {
    return commandName;
  }

  /** Returns the subcommand's help text, one line per element. */
  String[] description() {
    return description.clone();
  }

  /**
   * Applies the verb to backfill {@code version}; returns its progress afterwards, read from the
   * database.
   */
  BackfillProgress apply(MigrationRunner runner, long version) {
    return call.apply(Backfills.of(runner), version);
  }

  /** Returns the exit code for a verb that returned {@code progress} (see {@link ExitCodes}). */
  int exitCode(BackfillProgress progress) {
    return exitCode.applyAsInt(progress);
  }
}
