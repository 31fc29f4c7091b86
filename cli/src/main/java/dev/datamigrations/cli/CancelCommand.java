package dev.datamigrations.cli;

import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.Backfills;
import dev.datamigrations.runtime.MigrationRunner;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cancel VERSION}: cancels a running or paused backfill; its workers stop after their current batch, and migrate refuses to go past it until it is resumed. Done batches stay done. Persisted in the database, so that every worker process sees
 * it.
 */
@Command(
    sortOptions = false,
    name = "cancel",
    description = "Cancels a running or paused backfill; its workers stop after their current batch, and migrate refuses to go past it until it is resumed. Done batches stay done.")
final class CancelCommand extends DatabaseCommand {

  @Parameters(paramLabel = "VERSION", description = "The backfill's version, e.g. 20240831020834.")
  long version;

  CancelCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    BackfillProgress progress = Backfills.of(runner).cancel(version);
    out.println("Backfill " + version + ": " + progress + ".");
    return ExitCodes.SUCCESS;
  }
}
