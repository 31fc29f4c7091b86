package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrateResult;
import dev.datamigrations.runtime.MigrationRunner;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code migrate}: applies every pending migration, then prints a summary line. */
@Command(
    sortOptions = false,
    name = "migrate",
    description = "Applies every pending data migration, in version order.")
final class MigrateCommand extends DatabaseCommand {

  @Mixin DryRunOptions dryRun = new DryRunOptions();

  MigrateCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    dryRun.check();
    if (dryRun.dryRun) {
      return DryRunOutput.print(runner.dryRun().migrate(), dryRun.format, verbose(), out);
    }
    out.println(summary(runner.migrate()));
    return ExitCodes.SUCCESS;
  }

  /**
   * Returns {@code Applied 3 data migrations in 0.4 s (12 already applied).} or {@code Nothing to
   * migrate: 15 data migrations already applied.}
   */
  static String summary(MigrateResult result) {
    if (result.executed().isEmpty()) {
      return "Nothing to migrate: " + Formats.count(result.alreadyApplied()) + " already applied.";
    }
    return "Applied "
        + Formats.count(result.executed().size())
        + " in "
        + Formats.format(result.duration())
        + " ("
        + result.alreadyApplied()
        + " already applied).";
  }
}
