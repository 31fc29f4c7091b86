package dev.datamigrations.cli;

import dev.datamigrations.runtime.AppliedAs;
import dev.datamigrations.runtime.MigrationRunner;
import java.io.PrintStream;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code unmark VERSION}: removes a mark made by baseline, mark-applied or skip. */
@Command(
    sortOptions = false,
    name = "unmark",
    description =
        "Removes a mark made by baseline, mark-applied or skip, so the version is pending again;"
            + " refuses a version that ran (use down).")
final class UnmarkCommand extends DatabaseCommand {

  @Parameters(paramLabel = "VERSION", description = "The marked version, e.g. 20240831020834.")
  long version;

  UnmarkCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    AppliedAs removed = runner.unmark(version);
    out.println(
        "Removed the "
            + removed.name().toLowerCase(Locale.ROOT)
            + " mark of "
            + version
            + ": it is pending again.");
    return ExitCodes.SUCCESS;
  }
}
