package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationRunner;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pending [--check]}: lists what {@code migrate} would run; with {@code --check}, a readiness gate. */
@Command(
    sortOptions = false,
    name = "pending", description = "Lists the data migrations migrate would run, in order.")
final class PendingCommand extends DatabaseCommand {

  @Option(
      names = "--check",
      description = "Exit with " + ExitCodes.PENDING + " when anything is pending (for deploy scripts, readiness).")
  boolean check;

  PendingCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    List<MigrationDescriptor> pending = runner.pending();
    if (pending.isEmpty()) {
      out.println("No pending data migrations.");
      return ExitCodes.SUCCESS;
    }
    out.println(Formats.count(pending.size()) + " pending:");
    for (MigrationDescriptor migration : pending) {
      out.println("  " + migration.version() + "  " + migration.description());
    }
    return check ? ExitCodes.PENDING : ExitCodes.SUCCESS;
  }
}
