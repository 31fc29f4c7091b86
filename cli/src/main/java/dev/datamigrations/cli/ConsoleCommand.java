package dev.datamigrations.cli;

import dev.datamigrations.console.Console;
import dev.datamigrations.console.ConsoleServer;
import dev.datamigrations.runtime.MigrationCatalog;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code console [--port N] [--bind ADDRESS] [--enable-actions]}: serves the web console (module
 * {@code datamigrations-console}) until the process is stopped. The access token comes from {@code
 * DATAMIGRATIONS_CONSOLE_TOKEN}, never from an argument (arguments show in {@code ps}); without it
 * a random one is made and printed once.
 */
@Command(
    sortOptions = false,
    name = "console",
    description = {
      "Serves a web page and JSON API to watch and steer data migrations and backfills, until stopped.",
      "Read-only unless --enable-actions; the access token comes from $"
          + ConsoleCommand.TOKEN_VARIABLE
          + " (or is generated and printed)."
    })
final class ConsoleCommand implements Callable<Integer> {
  static final String TOKEN_VARIABLE = "DATAMIGRATIONS_CONSOLE_TOKEN";

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8080",
      description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; reach it through an SSH tunnel or a TLS proxy).")
  String bind;

  @Option(
      names = "--enable-actions",
      description =
          "Allow pause, resume, cancel, migrate, up and down from the page (default: read-only).")
  boolean enableActions;

  private final RootCommand root;

  ConsoleCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    CliSettings settings = root.settings();
    MigrationCatalog catalog = settings.catalog().require();
    DataSource dataSource =
        new DriverManagerDataSource(
            root.connection.resolve(settings.environment(), settings.defaultUrl()));
    try (Connection ignored = dataSource.getConnection()) {
      // Connected: the URL, credentials and driver are fine.
    } catch (SQLException e) {
      throw new ConfigurationException(
          "Cannot connect to the database: "
              + e.getMessage()
              + ". Check --url, --user and --password (or DATAMIGRATIONS_URL, DATAMIGRATIONS_USER,"
              + " DATAMIGRATIONS_PASSWORD), and that the JDBC driver is on the class path.",
          e);
    }
    settings.beforeCommand().accept(dataSource);
    String token = settings.environment().get(TOKEN_VARIABLE);
    boolean generated = token == null || token.isBlank();
    if (generated) {
      token = Console.randomToken();
    }
    InetSocketAddress address;
    try {
      address = new InetSocketAddress(InetAddress.getByName(bind), port);
    } catch (UnknownHostException e) {
      throw new ConfigurationException(
          "--bind " + bind + " is not an address of this machine: " + e.getMessage(), e);
    }
    Console console;
    try {
      console =
          Console.configure(dataSource, catalog)
              .table(root.run.table == null ? "data_migrations" : root.run.table)
              .schema(root.run.schema)
              .runnerOptions(root.run::applyTo)
              .backfillSettings(root.run.backfills().build())
              .token(token)
              .actionsEnabled(enableActions)
              .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage(), e);
    }
    PrintStream out = settings.out();
    try (Console serving = console;
        ConsoleServer server = ConsoleServer.start(serving, address)) {
      out.println(
          "Console at "
              + server.uri()
              + (enableActions
                  ? " (actions enabled)"
                  : " (read-only; --enable-actions allows actions)")
              + ". Stop with Ctrl+C.");
      out.println(
          generated
              ? "Access token (generated, set " + TOKEN_VARIABLE + " to choose one): " + token
              : "Access token: from " + TOKEN_VARIABLE + ".");
      if (!address.getAddress().isLoopbackAddress()) {
        out.println(
            "Warning: listening on "
                + bind
                + ", reachable from other machines over plain HTTP; prefer 127.0.0.1"
                + " behind an SSH tunnel or a TLS proxy.");
      }
      new CountDownLatch(1)
          .await(); // until the process is stopped (or, embedded, the thread interrupted)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCodes.SUCCESS;
  }
}
