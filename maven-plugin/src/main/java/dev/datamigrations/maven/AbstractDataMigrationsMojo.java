package dev.datamigrations.maven;

import dev.datamigrations.cli.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * What every goal shares: the settings of the command line's general options, and running it in the
 * project. Each goal is one command line command with the same options, output and exit codes; a
 * non-zero exit code fails the build with the command's message.
 *
 * <p>Precedence of every setting below: a {@code -Ddatamigrations.NAME=...} user property, then
 * (for {@code url}, {@code user} and {@code password} only) the {@code DATAMIGRATIONS_URL}, {@code
 * DATAMIGRATIONS_USER} and {@code DATAMIGRATIONS_PASSWORD} environment variables, then (user and
 * password) the {@code settings.xml} server named by {@code serverId}, then the plugin's {@code
 * <configuration>}.
 */
abstract class AbstractDataMigrationsMojo extends AbstractMojo {

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  MavenSession session;

  @Parameter(defaultValue = "${plugin.artifacts}", readonly = true, required = true)
  List<Artifact> pluginArtifacts;

  /** JDBC URL ({@code --url}). */
  @Parameter(property = "datamigrations.url")
  String url;

  /** Database user ({@code --user}). */
  @Parameter(property = "datamigrations.user")
  String user;

  /**
   * Database password. The plugin never prints it; Maven's own {@code -X} output, however, shows
   * the effective configuration, system properties and environment variables, so for builds that
   * may run with {@code -X} prefer {@link #serverId}.
   */
  @Parameter(property = "datamigrations.password")
  String password;

  /**
   * The {@code <server>} of {@code settings.xml} whose username and password to use (encrypted
   * passwords are decrypted): the one place Maven never prints, not even with {@code -X}.
   */
  @Parameter(property = "datamigrations.serverId")
  String serverId;

  @Parameter(defaultValue = "${settings}", readonly = true, required = true)
  Settings settings;

  @Component SettingsDecrypter settingsDecrypter;

  /**
   * A {@code MigrationCatalog}, or a {@code java.util.function.Supplier} of one, with a public
   * no-argument constructor: for a registry that Dagger builds. Default: the generated registry,
   * found through its {@code ServiceLoader} entry.
   */
  @Parameter(property = "datamigrations.catalog")
  String catalog;

  /** History table ({@code --table}, default {@code data_migrations}). */
  @Parameter(property = "datamigrations.table")
  String table;

  /** Schema of the history table ({@code --schema}). */
  @Parameter(property = "datamigrations.schema")
  String schema;

  /** How long to wait for another run's lock ({@code --lock-timeout}: 30s, 5m, PT2M). */
  @Parameter(property = "datamigrations.lockTimeout")
  String lockTimeout;

  /** Why this run happens, stored in the history ({@code --reason}). */
  @Parameter(property = "datamigrations.reason")
  String reason;

  /** Who runs it, stored in the history ({@code --operator}, default the system user name). */
  @Parameter(property = "datamigrations.operator")
  String operator;

  /** Refuse a pending version older than the newest applied one ({@code --refuse-out-of-order}). */
  @Parameter(property = "datamigrations.refuseOutOfOrder")
  Boolean refuseOutOfOrder;

  /** Keys per backfill batch ({@code --batch-size}). */
  @Parameter(property = "datamigrations.batchSize")
  Integer batchSize;

  /** Tune the backfill batch size toward this duration ({@code --target-batch-duration}). */
  @Parameter(property = "datamigrations.targetBatchDuration")
  String targetBatchDuration;

  /** Pause between two backfill batches ({@code --batch-pause}). */
  @Parameter(property = "datamigrations.batchPause")
  String batchPause;

  /** Backfill worker threads ({@code --workers}). */
  @Parameter(property = "datamigrations.workers")
  Integer workers;

  /** Back off while PostgreSQL is under stress ({@code --postgres-health-check}). */
  @Parameter(property = "datamigrations.postgresHealthCheck")
  Boolean postgresHealthCheck;

  /**
   * Back off while autovacuum vacuums the walked table ({@code --postgres-autovacuum-on-table}).
   */
  @Parameter(property = "datamigrations.postgresAutovacuumOnTable")
  Boolean postgresAutovacuumOnTable;

  /** Back off beyond this much WAL per second: 64MB ({@code --postgres-max-wal-rate}). */
  @Parameter(property = "datamigrations.postgresMaxWalRate")
  String postgresMaxWalRate;

  /**
   * Multiple of a batch's duration paused after it while another session is busy ({@code
   * --busy-pause}).
   */
  @Parameter(property = "datamigrations.busyPause")
  String busyPause;

  /** Make each backfill batch's commit wait for the disk ({@code --durable-batch-commits}). */
  @Parameter(property = "datamigrations.durableBatchCommits")
  Boolean durableBatchCommits;

  /** Print the stack trace of a failure ({@code --verbose}). */
  @Parameter(property = "datamigrations.verbose")
  Boolean verbose;

  /** Skip the goal. */
  @Parameter(property = "datamigrations.skip", defaultValue = "false")
  boolean skip;

  /** Returns the command and its own arguments, e.g. {@code up 20240831020834}. */
  abstract List<String> command() throws MojoExecutionException;

  /**
   * Returns whether the command works on the database, and so takes the connection and run options.
   */
  boolean usesDatabase() {
    return true;
  }

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    List<String> command = command();
    String goal = "datamigrations:" + command.get(0);
    if (skip) {
      getLog().info(goal + " skipped (datamigrations.skip).");
      return;
    }
    ConnectionSettings connection =
        new ConnectionSettings(session.getUserProperties(), System.getenv());
    List<String> args = new ArrayList<>();
    if (usesDatabase()) {
      option(args, "--table", "table", table);
      option(args, "--schema", "schema", schema);
      option(args, "--lock-timeout", "lockTimeout", lockTimeout);
      option(args, "--reason", "reason", reason);
      option(args, "--operator", "operator", operator);
      flag(args, "--refuse-out-of-order", "refuseOutOfOrder", refuseOutOfOrder);
      option(args, "--batch-size", "batchSize", batchSize);
      option(args, "--target-batch-duration", "targetBatchDuration", targetBatchDuration);
      option(args, "--batch-pause", "batchPause", batchPause);
      option(args, "--workers", "workers", workers);
      flag(args, "--postgres-health-check", "postgresHealthCheck", postgresHealthCheck);
      flag(
          args,
          "--postgres-autovacuum-on-table",
          "postgresAutovacuumOnTable",
          postgresAutovacuumOnTable);
      option(args, "--postgres-max-wal-rate", "postgresMaxWalRate", postgresMaxWalRate);
      option(args, "--busy-pause", "busyPause", busyPause);
      flag(args, "--durable-batch-commits", "durableBatchCommits", durableBatchCommits);
    }
    flag(args, "--verbose", "verbose", verbose);
    args.addAll(command);

    // The connection goes in as the command line's environment: never an argument, never logged.
    Server server = server();
    Map<String, String> environment =
        connection.environmentFor(
            connection.resolve(ConnectionSettings.URL, url),
            connection.resolve(
                ConnectionSettings.USER, server != null ? server.getUsername() : null, user),
            connection.resolve(
                ConnectionSettings.PASSWORD,
                server != null ? server.getPassword() : null,
                password));
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(new Tee(System.err, errors), true, StandardCharsets.UTF_8);
    int exitCode =
        new ProjectCli(classPath(), userPropertyOr("catalog", catalog))
            .execute(args, environment, System.out, err);
    err.flush();
    if (exitCode != 0) {
      String message = errors.toString(StandardCharsets.UTF_8).strip();
      throw new MojoFailureException(
          goal
              + " failed with exit code "
              + exitCode
              + " ("
              + meaning(exitCode)
              + ")"
              + (message.isEmpty() ? "." : ": " + message)
              + (exitCode == 2 ? mavenHint() : ""));
    }
  }

  /**
   * Returns what to add to a usage error's message about how Maven spells the command line's
   * options.
   */
  String mavenHint() {
    return "";
  }

  /**
   * Returns the decrypted {@code settings.xml} server named by {@code serverId}, or null if none is
   * named.
   */
  private Server server() throws MojoExecutionException {
    String id = userPropertyOr("serverId", serverId);
    if (id == null || id.isBlank()) {
      return null;
    }
    Server server = settings.getServer(id);
    if (server == null) {
      throw new MojoExecutionException(
          "serverId "
              + id
              + " names no <server> in settings.xml: add <server><id>"
              + id
              + "</id><username>...</username><password>...</password></server> to ~/.m2/settings.xml.");
    }
    SettingsDecryptionResult decrypted =
        settingsDecrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
    for (SettingsProblem problem : decrypted.getProblems()) {
      if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
        throw new MojoExecutionException(
            "Cannot decrypt the password of server "
                + id
                + " in settings.xml: "
                + problem.getMessage());
      }
    }
    return decrypted.getServer();
  }

  /**
   * Returns what the command line's exit code means, in its own words ({@link ExitCodes#MEANINGS},
   * where exit codes are described once).
   */
  static String meaning(int exitCode) {
    return ExitCodes.MEANINGS.stream()
        .filter(meaning -> meaning.code() == exitCode)
        .map(ExitCodes.Meaning::text)
        .findFirst()
        .orElse("unexpected exit code");
  }

  private void option(List<String> args, String option, String name, Object configured) {
    String value = userPropertyOr(name, configured == null ? null : configured.toString());
    if (value != null && !value.isBlank()) {
      args.add(option);
      args.add(value);
    }
  }

  private void flag(List<String> args, String option, String name, Boolean configured) {
    String value = userPropertyOr(name, configured == null ? null : configured.toString());
    // A bare -Ddatamigrations.verbose is "true" in Maven; so is an empty value.
    if (value != null && (value.isEmpty() || Boolean.parseBoolean(value))) {
      args.add(option);
    }
  }

  /**
   * Returns {@code -Ddatamigrations.NAME} if given on the command line, else the configured value.
   */
  private String userPropertyOr(String name, String configured) {
    String property = session.getUserProperties().getProperty("datamigrations." + name);
    return property != null ? property : configured;
  }

  /**
   * Returns the project's runtime class path, then the plugin's jars whose artifact the project
   * does not have.
   */
  private List<File> classPath() throws MojoExecutionException {
    List<File> files = new ArrayList<>();
    try {
      project.getRuntimeClasspathElements().forEach(element -> files.add(new File(element)));
    } catch (DependencyResolutionRequiredException e) {
      throw new MojoExecutionException(
          "The project's runtime dependencies are not resolved: " + e.getMessage(), e);
    }
    Set<String> projectArtifacts = new HashSet<>();
    for (Artifact artifact : project.getArtifacts()) {
      projectArtifacts.add(artifact.getGroupId() + ":" + artifact.getArtifactId());
    }
    for (Artifact artifact : pluginArtifacts) {
      if (!projectArtifacts.contains(artifact.getGroupId() + ":" + artifact.getArtifactId())
          && artifact.getFile() != null) {
        files.add(artifact.getFile());
      }
    }
    return files;
  }

  /** Writes to the console and keeps a copy, for the build failure's message. */
  private static final class Tee extends OutputStream {
    private final OutputStream console;
    private final OutputStream copy;

    Tee(OutputStream console, OutputStream copy) {
      this.console = console;
      this.copy = copy;
    }

    @Override
    public void write(int b) throws IOException {
      console.write(b);
      copy.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      console.write(b, off, len);
      copy.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      console.flush();
    }
  }
}
