package dev.datamigrations.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top-level command: holds the options every subcommand shares; alone, it asks for a
 * subcommand. Its help's footer, the exit codes, is {@link ExitCodes#helpFooter()}, set where the
 * command line is built.
 */
@Command(
    sortOptions = false,
    name = "datamigrations",
    synopsisSubcommandLabel = "COMMAND",
    description =
        "Applies, reverts and reports the application's data migrations, or writes a new one.")
final class RootCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection = new ConnectionOptions();

  @Mixin RunOptions run = new RunOptions();

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print the stack trace of a failure.")
  boolean verbose;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      scope = ScopeType.INHERIT,
      description = "Show this help and exit.")
  boolean help;

  private final CliSettings settings;

  RootCommand(CliSettings settings) {
    this.settings = settings;
  }

  CliSettings settings() {
    return settings;
  }

  /**
   * Returns the passwords this run may know (option and environment), to mask wherever a message
   * quotes them.
   */
  String[] secrets() {
    return new String[] {
      connection.password, settings.environment().get(ConnectionOptions.PASSWORD_VARIABLE)
    };
  }

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing command: choose one of " + String.join(", ", spec.subcommands().keySet()) + ".");
  }
}
