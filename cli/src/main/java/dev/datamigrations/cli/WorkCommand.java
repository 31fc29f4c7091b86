package dev.datamigrations.cli;

import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.Backfills;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.MigrationRunner;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code work VERSION}: a worker process for one backfill. Starts it if it is pending, then claims and processes
 * batches until it is done or cancelled; waits while it is paused. Run several (one per host, or N per host) on
 * PostgreSQL, MySQL and MariaDB to share the batches; elsewhere a second worker waits for the first.
 */
@Command(
    sortOptions = false,
    name = "work",
    description = {
      "Works on one backfill until it is done or cancelled (waits while it is paused); starts it if pending.",
      "Run several of these processes to share the batches (PostgreSQL, MySQL, MariaDB)."
    })
final class WorkCommand extends DatabaseCommand {

  @Parameters(paramLabel = "VERSION", description = "The backfill's version, e.g. 20240831020834.")
  long version;

  WorkCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    BackfillProgress progress = Backfills.of(runner).work(version);
    out.println("Backfill " + version + ": " + progress + ".");
    return progress.state() == BackfillState.DONE ? ExitCodes.SUCCESS : ExitCodes.BACKFILL_NOT_DONE;
  }
}
