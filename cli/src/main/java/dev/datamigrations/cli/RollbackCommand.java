package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrateResult;
import dev.datamigrations.runtime.MigrationRunner;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rollback [--steps N]}: reverts the most recently applied migrations, newest first. */
@Command(
    sortOptions = false,
    name = "rollback",
    description = "Reverts the most recently applied data migration(s), newest first.")
final class RollbackCommand extends DatabaseCommand {

  @Option(
      names = "--steps",
      paramLabel = "N",
      defaultValue = "1",
      description = "How many migrations to revert (default: ${DEFAULT-VALUE}).")
  int steps;

  @Mixin DryRunOptions dryRun = new DryRunOptions();

  RollbackCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    if (steps < 1) {
      throw new ConfigurationException("--steps must be at least 1, was " + steps + ".");
    }
    dryRun.check();
    if (dryRun.dryRun) {
      return DryRunOutput.print(runner.dryRun().rollback(steps), dryRun.format, verbose(), out);
    }
    MigrateResult result = runner.rollback(steps);
    out.println(
        result.executed().isEmpty()
            ? "Nothing to roll back: no data migration is applied."
            : "Rolled back "
                + Formats.count(result.executed().size())
                + " in "
                + Formats.format(result.duration())
                + ".");
    return ExitCodes.SUCCESS;
  }
}
