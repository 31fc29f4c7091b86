package dev.datamigrations.cli;

import dev.datamigrations.runtime.ChangedMigration;
import dev.datamigrations.runtime.ChangedMigrationsException;
import dev.datamigrations.runtime.MigrationRunner;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code validate}: fails, naming each, when migrations that ran have changed since. */
@Command(
    sortOptions = false,
    name = "validate",
    description =
        "Checks that no applied data migration changed since it ran (the checksum of its source);"
            + " exits 7 naming each one that did. Reads only.")
final class ValidateCommand extends DatabaseCommand {

  ValidateCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    List<ChangedMigration> changed = runner.validate();
    if (!changed.isEmpty()) {
      throw new ChangedMigrationsException(changed); // Failures maps it to CHANGED
    }
    out.println("No applied data migration changed since it ran.");
    return ExitCodes.SUCCESS;
  }
}
