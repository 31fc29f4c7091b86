package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.MigrationStatus;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pending [--check]}: lists what {@code migrate} would run; with {@code --check}, a
 * readiness gate.
 */
@Command(
    sortOptions = false,
    name = "pending",
    description = "Lists the data migrations migrate would run, in order.")
final class PendingCommand extends DatabaseCommand {

  @Option(
      names = "--check",
      description =
          "Exit with "
              + ExitCodes.PENDING
              + " when anything is pending (for deploy scripts, readiness).")
  boolean check;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (a list) or json (for scripts; the shape is documented in the README).")
  OutputFormat format;

  PendingCommand(RootCommand root) {
    super(root);
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    List<MigrationDescriptor> pending = runner.pending();
    if (format == OutputFormat.JSON) {
      List<MigrationStatus> all = runner.status();
      Map<Long, MigrationStatus> byVersion =
          all.stream().collect(Collectors.toMap(MigrationStatus::version, s -> s));
      // In migrate's order, each with the full status entry (a started backfill carries its
      // progress).
      List<MigrationStatus> shown = pending.stream().map(d -> byVersion.get(d.version())).toList();
      out.println(StatusJson.document(shown, all));
      return check && !pending.isEmpty() ? ExitCodes.PENDING : ExitCodes.SUCCESS;
    }
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
