package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrateResult;
import dev.datamigrations.runtime.MigrationRunner;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code down VERSION}: reverts one applied migration, refusing an irreversible one. */
@Command(
    sortOptions = false,
    name = "down",
    description =
        "Reverts one applied data migration; refuses, before changing anything, an irreversible one.")
final class DownCommand extends DatabaseCommand {

  @Parameters(paramLabel = "VERSION", description = "The version to revert, e.g. 20240831020834.")
  long version;

  @Mixin DryRunOptions dryRun = new DryRunOptions();

  DownCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    dryRun.check();
    if (dryRun.dryRun) {
      return DryRunOutput.print(runner.dryRun().down(version), dryRun.format, verbose(), out);
    }
    // A version that is not applied is refused by the runner (MigrationNotAppliedException, exit
    // code 2).
    MigrateResult result = runner.down(version);
    out.println("Reverted " + version + " in " + Formats.format(result.duration()) + ".");
    return ExitCodes.SUCCESS;
  }
}
