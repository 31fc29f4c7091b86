package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.Redaction;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * A command that works on the database: finds the catalog, connects (failing early and clearly if
 * it cannot), runs the application's {@code beforeCommand} hook, then hands a configured runner to
 * {@link #run}.
 */
abstract class DatabaseCommand implements Callable<Integer> {
  private final RootCommand root;

  DatabaseCommand(RootCommand root) {
    this.root = root;
  }

  /**
   * Returns the backfill version this command names, which a {@code --csv FILE} without a version
   * is for; null if none.
   */
  Long backfillVersion() {
    return null;
  }

  /** Returns whether {@code --verbose} was given. */
  final boolean verbose() {
    return root.verbose;
  }

  /** Returns the {@code --reason} given, or null: what the commands that edit the history store. */
  final String reason() {
    return root.run.reason;
  }

  /** Runs the command with {@code runner}; prints to {@code out} and returns the exit code. */
  abstract int run(MigrationRunner runner, PrintStream out);

  @Override
  public final Integer call() {
    CliSettings settings = root.settings();
    MigrationCatalog catalog = settings.catalog().require();
    ConnectionOptions.Connection connection =
        root.connection.resolve(settings.environment(), settings.defaultUrl());
    DataSource dataSource = new DriverManagerDataSource(connection);
    checkConnection(dataSource, connection);
    settings.beforeCommand().accept(dataSource);
    try (ProgressPrinter progress = ProgressPrinter.create(settings)) {
      MigrationRunner runner;
      try {
        runner =
            root.run
                .applyTo(MigrationRunner.configure(Jdbi.create(dataSource), catalog))
                .listener(progress)
                .with(
                    root.run
                        .backfills(backfillVersion())
                        .listener(progress)
                        .progressInterval(progress.backfillInterval())
                        .build())
                .build();
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(e.getMessage(), e);
      }
      return run(runner, settings.out());
    }
  }

  private static void checkConnection(
      DataSource dataSource, ConnectionOptions.Connection connection) {
    try (Connection ignored = dataSource.getConnection()) {
      // Connected: the URL, credentials and driver are fine.
    } catch (SQLException e) {
      throw new ConfigurationException(
          "Cannot connect to "
              + connection.shownUrl()
              + ": "
              + Redaction.redact(e.getMessage(), connection.password())
              + ". Check --url, --user and --password (or DATAMIGRATIONS_URL, DATAMIGRATIONS_USER,"
              + " DATAMIGRATIONS_PASSWORD), and that the JDBC driver is on the class path. Nothing was changed.",
          e);
    }
  }
}
