package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationRunner;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baseline VERSION}: adopts a database, marking every migration up to VERSION applied. */
@Command(
    sortOptions = false,
    name = "baseline",
    description =
        "Adopts an existing database: marks every data migration up to VERSION applied without"
            + " running it; only while the history table is absent or empty.")
final class BaselineCommand extends DatabaseCommand {

  @Parameters(paramLabel = "VERSION", description = "The newest version already in the data.")
  long version;

  @Option(
      names = "--force",
      description = "Accept a VERSION that is not a migration of the code (needs --reason).")
  boolean force;

  BaselineCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    List<MigrationDescriptor> marked = runner.baseline(version, reason(), force);
    out.println(
        "Baselined "
            + marked.size()
            + (marked.size() == 1 ? " data migration" : " data migrations")
            + " up to "
            + version
            + " without running them; migrate runs the later ones.");
    return ExitCodes.SUCCESS;
  }
}
