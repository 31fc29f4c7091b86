package dev.datamigrations.cli;

import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.Backfills;
import dev.datamigrations.runtime.MigrationRunner;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code resume VERSION}: resumes a paused or cancelled backfill where it stopped (a cancelled one has no workers left; run migrate or work again). Persisted in the database, so that every worker process sees
 * it.
 */
@Command(
    sortOptions = false,
    name = "resume",
    description = "Resumes a paused or cancelled backfill where it stopped (a cancelled one has no workers left; run migrate or work again).")
final class ResumeCommand extends DatabaseCommand {

  @Parameters(paramLabel = "VERSION", description = "The backfill's version, e.g. 20240831020834.")
  long version;

  ResumeCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    BackfillProgress progress = Backfills.of(runner).resume(version);
    out.println("Backfill " + version + ": " + progress + ".");
    return ExitCodes.SUCCESS;
  }
}
