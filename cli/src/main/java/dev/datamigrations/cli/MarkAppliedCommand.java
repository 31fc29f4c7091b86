package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationRunner;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mark-applied VERSION --reason TEXT}: records a version applied without running it. */
@Command(
    sortOptions = false,
    name = "mark-applied",
    description =
        "Records a data migration as applied without running it (its changes were made by other"
            + " means); --reason is required and stored.")
final class MarkAppliedCommand extends DatabaseCommand {

  @Parameters(paramLabel = "VERSION", description = "The version, e.g. 20240831020834.")
  long version;

  @Option(names = "--force", description = "Also for a version the code does not know.")
  boolean force;

  MarkAppliedCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    runner.markApplied(version, reason(), force);
    out.println("Marked " + version + " applied without running it.");
    return ExitCodes.SUCCESS;
  }
}
