package dev.datamigrations.cli;

import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.Backfills;
import dev.datamigrations.runtime.MigrationRunner;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code pause VERSION}: pauses a running backfill; its workers, in every process, finish their current batch and wait. Persisted in the database, so that every worker process sees
 * it.
 */
@Command(
    sortOptions = false,
    name = "pause",
    description = "Pauses a running backfill; its workers, in every process, finish their current batch and wait.")
final class PauseCommand extends DatabaseCommand {

  @Parameters(paramLabel = "VERSION", description = "The backfill's version, e.g. 20240831020834.")
  long version;

  PauseCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    BackfillProgress progress = Backfills.of(runner).pause(version);
    out.println("Backfill " + version + ": " + progress + ".");
    return ExitCodes.SUCCESS;
  }
}
