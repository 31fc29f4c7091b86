package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.Redaction;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line of an application's data migrations: {@code migrate}, {@code status}, {@code up
 * VERSION}, {@code down VERSION}, {@code rollback [--steps N]}, {@code pending [--check]}, the
 * backfill commands {@code work VERSION}, {@code pause VERSION}, {@code resume VERSION}, {@code
 * cancel VERSION}, and the generator {@code new NAME}, and the web console {@code console [--port
 * N] [--enable-actions]} (module {@code datamigrations-console}).
 *
 * <p>An application whose generated {@code MigrationRegistry} needs no Dagger uses {@link #main} as
 * is: it finds the registry through {@link java.util.ServiceLoader}. One that builds its registry
 * with Dagger, or wants a hook (schema migrations first), embeds it:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   int exitCode = DataMigrationsCli.forCatalog(DaggerAppComponent.create().migrationRegistry())
 *       .defaultUrl("jdbc:h2:./data/app")
 *       .beforeCommand(dataSource -> Flyway.configure().dataSource(dataSource).load().migrate())
 *       .execute(args);
 *   System.exit(exitCode);
 * }
 * }</pre>
 *
 * <p>Exit codes, for deploy scripts: see {@link ExitCodes}. Nothing it prints or logs shows a
 * password: URLs and driver messages go through {@link Redaction}.
 */
public final class DataMigrationsCli {
  private static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(10);

  private DataMigrationsCli() {}

  /**
   * Runs the command line on the catalog found with {@link java.util.ServiceLoader}, then exits.
   */
  public static void main(String[] args) {
    System.exit(fromServiceLoader().execute(args));
  }

  /**
   * Returns a command line for {@code catalog}, to configure and {@link Builder#execute execute}.
   */
  public static Builder forCatalog(MigrationCatalog catalog) {
    return new Builder(CatalogSource.of(Objects.requireNonNull(catalog, "catalog")));
  }

  /**
   * Returns a command line for the one catalog registered for {@link java.util.ServiceLoader}, as
   * {@link #main} uses; for an application that wants a {@link Builder#beforeCommand hook} or a
   * {@link Builder#defaultUrl default URL} without building its registry itself. Finding none or
   * several is reported by the commands that need a catalog, with exit code 2.
   */
  public static Builder fromServiceLoader() {
    return fromServiceLoader(Thread.currentThread().getContextClassLoader());
  }

  static Builder fromServiceLoader(ClassLoader loader) {
    return new Builder(CatalogSource.fromServiceLoader(loader));
  }

  /** Configures one command line; {@link #execute} may be called more than once. */
  public static final class Builder {
    private final CatalogSource catalog;
    private String defaultUrl;
    private Consumer<DataSource> beforeCommand = dataSource -> {};
    private PrintStream out = System.out;
    private PrintStream err = System.err;
    private Map<String, String> environment = System.getenv();
    private Duration progressInterval = DEFAULT_PROGRESS_INTERVAL;
    private ProgressStyle progressStyle = ProgressStyle.AUTO;
    private Clock clock = Clock.systemUTC();

    private Builder(CatalogSource catalog) {
      this.catalog = catalog;
    }

    /**
     * Sets the JDBC URL used when neither {@code --url} nor {@code DATAMIGRATIONS_URL} gives one.
     */
    public Builder defaultUrl(String defaultUrl) {
      this.defaultUrl = defaultUrl;
      return this;
    }

    /**
     * Sets what to run on the database before every database command, for example the schema
     * migrations: {@code dataSource -> Flyway.configure().dataSource(dataSource).load().migrate()}.
     * Not run by {@code new}.
     */
    public Builder beforeCommand(Consumer<DataSource> beforeCommand) {
      this.beforeCommand = Objects.requireNonNull(beforeCommand, "beforeCommand");
      return this;
    }

    /** Sets where output goes (default {@code System.out}). */
    public Builder out(PrintStream out) {
      this.out = Objects.requireNonNull(out, "out");
      return this;
    }

    /** Sets where errors go (default {@code System.err}). */
    public Builder err(PrintStream err) {
      this.err = Objects.requireNonNull(err, "err");
      return this;
    }

    /** Sets the environment variables to read (default {@code System.getenv()}); for tests. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /**
     * Sets how often a long migration's {@code still running} line is printed (default 10 seconds).
     */
    Builder progressInterval(Duration progressInterval) {
      this.progressInterval = Objects.requireNonNull(progressInterval, "progressInterval");
      return this;
    }

    /** Sets the clock {@code new} takes its version from. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how {@code migrate} and {@code work} show a running backfill (default {@link
     * ProgressStyle#AUTO}: a live bar when the output is {@code System.out} on a terminal, plain
     * lines otherwise).
     */
    public Builder progressStyle(ProgressStyle progressStyle) {
      this.progressStyle = Objects.requireNonNull(progressStyle, "progressStyle");
      return this;
    }

    /**
     * Runs the command {@code args} describe and returns its exit code (see {@link ExitCodes});
     * never calls {@code System.exit}.
     */
    public int execute(String... args) {
      // Before anything logs: without a binding on the class path, the command line prints the
      // warnings itself.
      CliLogging.install(List.of(args).contains("--verbose"));
      return commandLine().execute(args);
    }

    /** Returns the names of the commands, in the order {@code --help} lists them. */
    List<String> commandNames() {
      // Each command once, by its name: aliases (repair) lead to the same command.
      return commandLine().getSubcommands().values().stream()
          .map(CommandLine::getCommandName)
          .distinct()
          .toList();
    }

    private CommandLine commandLine() {
      CliSettings settings =
          new CliSettings(
              catalog,
              defaultUrl,
              beforeCommand,
              out,
              err,
              environment,
              progressInterval,
              progressStyle,
              clock);
      RootCommand root = new RootCommand(settings);
      CommandLine commandLine = new CommandLine(root);
      commandLine.getCommandSpec().usageMessage().footer(ExitCodes.helpFooter());
      commandLine.addSubcommand(new MigrateCommand(root));
      commandLine.addSubcommand(new StatusCommand(root));
      commandLine.addSubcommand(new UpCommand(root));
      commandLine.addSubcommand(new DownCommand(root));
      commandLine.addSubcommand(new RollbackCommand(root));
      commandLine.addSubcommand(new PendingCommand(root));
      commandLine.addSubcommand(new ValidateCommand(root));
      commandLine.addSubcommand(new AcceptChecksumCommand(root));
      commandLine.addSubcommand(new BaselineCommand(root));
      commandLine.addSubcommand(new MarkAppliedCommand(root));
      commandLine.addSubcommand(new SkipCommand(root));
      commandLine.addSubcommand(new UnmarkCommand(root));
      for (BackfillVerb verb : BackfillVerb.values()) {
        commandLine.addSubcommand(verb.commandName(), BackfillCommand.commandLine(root, verb));
      }
      commandLine.addSubcommand(new NewCommand(root));
      commandLine.addSubcommand(new ConsoleCommand(root));
      keepOnlyGeneralOptions(commandLine.getSubcommands().get("new").getCommandSpec());
      // Set after the subcommands so that they inherit it.
      commandLine.setCaseInsensitiveEnumValuesAllowed(true);
      commandLine.setOut(new PrintWriter(out, true));
      commandLine.setErr(new PrintWriter(err, true));
      commandLine.setParameterExceptionHandler(usageError(root));
      commandLine.setExecutionExceptionHandler(failure(root, err));
      return commandLine;
    }

    /**
     * Removes the inherited database options from a command that needs no database, such as {@code
     * new}.
     */
    private static void keepOnlyGeneralOptions(CommandSpec spec) {
      for (OptionSpec option : List.copyOf(spec.options())) {
        if (option.inherited()
            && !option.usageHelp()
            && !option.longestName().equals("--verbose")) {
          spec.remove(option);
        }
      }
    }

    /**
     * Says which arguments were not understood without quoting the likely value of a mistyped
     * option ({@code --pasword hunter2}, {@code --passwd=hunter2}): it is often a password, which
     * the masking cannot recognise under a name it does not know. Other arguments (a mistyped
     * command) are quoted.
     */
    static String unmatchedMessage(List<String> unmatched) {
      List<String> shown = new java.util.ArrayList<>();
      int hidden = 0;
      boolean afterOption = false;
      for (String argument : unmatched) {
        if (argument.startsWith("-")) {
          int equals = argument.indexOf('=');
          shown.add(
              "'"
                  + (equals < 0 ? argument : argument.substring(0, equals + 1) + Redaction.MASK)
                  + "'");
          afterOption = equals < 0;
        } else if (afterOption) {
          hidden++;
          afterOption = false;
        } else {
          shown.add("'" + argument + "'");
        }
      }
      return "Unknown "
          + (unmatched.size() == 1 ? "argument" : "arguments")
          + ": "
          + String.join(", ", shown)
          + (hidden == 0
              ? ""
              : " (and " + hidden + " value" + (hidden == 1 ? "" : "s") + " of them, not shown)");
    }

    private static IParameterExceptionHandler usageError(RootCommand root) {
      return (exception, args) -> {
        CommandLine command = exception.getCommandLine();
        PrintWriter writer = command.getErr();
        // picocli quotes the arguments it could not use: a URL or a password among them is masked.
        String message =
            exception instanceof UnmatchedArgumentException unmatched
                ? unmatchedMessage(unmatched.getUnmatched())
                : exception.getMessage();
        writer.println("Error: " + Redaction.redact(message, root.secrets()));
        StringWriter suggestions = new StringWriter();
        UnmatchedArgumentException.printSuggestions(exception, new PrintWriter(suggestions));
        writer.print(Redaction.redact(suggestions.toString(), root.secrets()));
        writer.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
        return ExitCodes.USAGE;
      };
    }

    private static IExecutionExceptionHandler failure(RootCommand root, PrintStream err) {
      return (exception, commandLine, parseResult) -> {
        String[] secrets = root.secrets();
        Failures.Failure failure = Failures.describe(exception, secrets);
        err.println(failure.message());
        if (root.verbose) {
          // The causes' messages are the driver's: they may quote the URL or the password.
          StringWriter trace = new StringWriter();
          exception.printStackTrace(new PrintWriter(trace));
          err.print(Redaction.redact(trace.toString(), secrets));
          err.flush();
        }
        return failure.exitCode();
      };
    }
  }
}
