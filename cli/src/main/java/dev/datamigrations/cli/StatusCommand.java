package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.MigrationStatus;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code status}: prints every version known to the code or the history table. */
@Command(
    sortOptions = false,
    name = "status",
    description =
        "Prints every data migration known to the code or the history table, and its state.")
final class StatusCommand extends DatabaseCommand {

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text (an aligned table) or json (for scripts; the shape is documented in the README).")
  OutputFormat format;

  StatusCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    List<MigrationStatus> statuses = runner.status();
    if (format == OutputFormat.JSON) {
      out.println(StatusJson.document(statuses, statuses));
    } else {
      StatusTable.format(statuses).forEach(out::println);
    }
    return ExitCodes.SUCCESS;
  }
}
