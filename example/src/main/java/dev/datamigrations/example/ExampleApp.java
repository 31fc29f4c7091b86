package dev.datamigrations.example;

import dev.datamigrations.cli.DataMigrationsCli;
import dev.datamigrations.example.migrations.MigrationRegistry;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The example application's command line: Flyway applies the schema (SQL files in {@code
 * db/migration}), then datamigrations runs the data migrations that Dagger built.
 *
 * <pre>
 * java -jar example/target/datamigrations-example.jar demo      # migrate, status, rollback, status
 * java -jar example/target/datamigrations-example.jar migrate   # or status, up, down, rollback, pending, new
 * java -jar example/target/datamigrations-example.jar --url jdbc:postgresql://127.0.0.1:5432/test migrate
 * </pre>
 */
public final class ExampleApp {
  /** An embedded H2 file database in the working directory: no setup. */
  static final String DEFAULT_URL = "jdbc:h2:./example-data/customers";

  private ExampleApp() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command (or the demo when there is none) and returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    MigrationRegistry migrations = ExampleComponent.create().migrations();
    DataMigrationsCli.Builder cli =
        DataMigrationsCli.forCatalog(migrations)
            .defaultUrl(DEFAULT_URL)
            .beforeCommand(ExampleApp::migrateSchema)
            .out(out)
            .err(err);
    if (args.length == 0 || args[0].equals("demo")) {
      List<String> options =
          args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
      return demo(cli, options, out);
    }
    return cli.execute(args);
  }

  /** Schema first, always: data migrations may rely on the columns it adds. */
  private static void migrateSchema(DataSource dataSource) {
    Flyway.configure().dataSource(dataSource).load().migrate();
  }

  /** Shows the everyday verbs one after the other, stopping at the first that fails. */
  private static int demo(DataMigrationsCli.Builder cli, List<String> options, PrintStream out) {
    String[][] steps = {{"migrate"}, {"status"}, {"rollback"}, {"status"}};
    for (String[] step : steps) {
      out.println();
      out.println("$ datamigrations " + String.join(" ", step));
      List<String> args = new ArrayList<>(options);
      args.addAll(Arrays.asList(step));
      int exitCode = cli.execute(args.toArray(String[]::new));
      if (exitCode != 0) {
        return exitCode;
      }
    }
    return 0;
  }
}
