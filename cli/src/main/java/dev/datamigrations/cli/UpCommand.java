package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrateResult;
import dev.datamigrations.runtime.MigrationRunner;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code up VERSION}: applies one migration, in or out of order. */
@Command(
    sortOptions = false,
    name = "up",
    description = "Applies one data migration; does nothing if it is already applied.")
final class UpCommand extends DatabaseCommand {

  @Parameters(paramLabel = "VERSION", description = "The version to apply, e.g. 20240831020834.")
  long version;

  @Mixin DryRunOptions dryRun = new DryRunOptions();

  UpCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    dryRun.check();
    if (dryRun.dryRun) {
      return DryRunOutput.print(runner.dryRun().up(version), dryRun.format, verbose(), out);
    }
    MigrateResult result = runner.up(version);
    out.println(
        result.executed().isEmpty()
            ? "Nothing to do: " + version + " is already applied."
            : "Applied " + version + " in " + Formats.format(result.duration()) + ".");
    return ExitCodes.SUCCESS;
  }
}
