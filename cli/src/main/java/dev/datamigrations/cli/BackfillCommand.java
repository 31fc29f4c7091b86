package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code work VERSION}, {@code pause VERSION}, {@code resume VERSION} and {@code cancel VERSION}:
 * one {@link BackfillVerb} applied to one backfill, then its progress printed ({@code Backfill
 * 20240831020834: 45.2% (...), paused.}). The verbs differ only in what {@link BackfillVerb} holds,
 * so they share this class; each is registered under its own name with {@link #commandLine}.
 */
@Command(sortOptions = false)
final class BackfillCommand extends DatabaseCommand {

  @Parameters(paramLabel = "VERSION", description = "The backfill's version, e.g. 20240831020834.")
  long version;

  private final BackfillVerb verb;

  private BackfillCommand(RootCommand root, BackfillVerb verb) {
    super(root);
    this.verb = verb;
  }

  /**
   * Returns the subcommand for {@code verb}, named and described after it, to add to the root
   * command.
   */
  static CommandLine commandLine(RootCommand root, BackfillVerb verb) {
    CommandLine commandLine = new CommandLine(new BackfillCommand(root, verb));
    commandLine.getCommandSpec().name(verb.commandName());
    commandLine.getCommandSpec().usageMessage().description(verb.description());
    return commandLine;
  }

  @Override
  Long backfillVersion() {
    return version;
  }

  @Override
  int run(MigrationRunner runner, PrintStream out) {
    BackfillProgress progress = verb.apply(runner, version);
    if (progress == null) {
      out.println("Backfill " + version + ": applied.");
      return ExitCodes.SUCCESS;
    }
    out.println("Backfill " + version + ": " + progress + ".");
    StatusTable.failures(version, progress).forEach(out::println);
    return verb.exitCode(progress);
  }
}
