package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationRunner;
import java.io.PrintStream;
import picocli.CommandLine.Command;

/** {@code status}: prints every version known to the code or the history table. */
@Command(
    sortOptions = false,
    name = "status",
    description = "Prints every data migration known to the code or the history table, and its state.")
final class StatusCommand extends DatabaseCommand {

  StatusCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    StatusTable.format(runner.status()).forEach(out::println);
    return ExitCodes.SUCCESS;
  }
}
