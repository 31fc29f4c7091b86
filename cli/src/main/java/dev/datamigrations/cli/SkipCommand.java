package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationRunner;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skip VERSION --reason TEXT}: records that a version will not run. */
@Command(
    sortOptions = false,
    name = "skip",
    description =
        "Records that a data migration will not run: migrate passes it, down refuses it; --reason is"
            + " required and stored.")
final class SkipCommand extends DatabaseCommand {

  @Parameters(paramLabel = "VERSION", description = "The version, e.g. 20240831020834.")
  long version;

  @Option(names = "--force", description = "Also for a version the code does not know.")
  boolean force;

  SkipCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    runner.skip(version, reason(), force);
    out.println("Skipped " + version + ": migrate will not run it.");
    return ExitCodes.SUCCESS;
  }
}
