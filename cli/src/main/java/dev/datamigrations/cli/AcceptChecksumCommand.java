package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationRunner;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code accept-checksum VERSION --reason TEXT} (alias {@code repair}): accepts changed code. */
@Command(
    sortOptions = false,
    name = "accept-checksum",
    aliases = "repair",
    description =
        "Accepts that an applied data migration's code changed: stores its new checksum; the old one,"
            + " who and --reason (required) go to the row's audit column. Runs nothing.")
final class AcceptChecksumCommand extends DatabaseCommand {

  @Parameters(paramLabel = "VERSION", description = "The applied version, e.g. 20240831020834.")
  long version;

  AcceptChecksumCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    out.println(
        runner.acceptChecksum(version, reason())
            ? "Accepted the current code of " + version + " (the old checksum is in its audit)."
            : "Nothing to do: the history's checksum of " + version + " is the code's already.");
    return ExitCodes.SUCCESS;
  }
}
