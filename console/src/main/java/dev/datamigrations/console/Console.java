package dev.datamigrations.console;

import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.backfill.BackfillListener;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The data-migrations console: a web page and JSON API that show every migration, the progress of
 * running backfills and recorded failures, and, when enabled, pause, resume and cancel backfills
 * and run {@code migrate}, {@code up} or {@code down} with a reason. It answers {@link
 * ConsoleRequest}s without depending on any server, so that {@link ConsoleServer} (the JDK's {@code
 * HttpServer}) or another server can mount it.
 *
 * <pre>{@code
 * Console console = Console.configure(dataSource, new MigrationRegistry())
 *     .token(System.getenv("DATAMIGRATIONS_CONSOLE_TOKEN"))
 *     .actionsEnabled(true)
 *     .build();
 * ConsoleServer server = ConsoleServer.start(console, new InetSocketAddress("127.0.0.1", 8080));
 * }</pre>
 *
 * <p>Reads take no lock and change nothing; each action runs on a runner of its own (the runner's
 * locks and transaction rules apply) with the person's name as operator and their reason, and a
 * backfill it reaches goes on in a background thread of this process until it is done or {@link
 * #close} is called.
 */
public final class Console implements AutoCloseable {
  private final ConsoleHandler handler;
  private final Actions actions;

  private Console(ConsoleHandler handler, Actions actions) {
    this.handler = handler;
    this.actions = actions;
  }

  /**
   * Returns a builder of a console over {@code catalog}'s migrations on {@code dataSource}'s
   * database.
   */
  public static Builder configure(DataSource dataSource, MigrationCatalog catalog) {
    return new Builder(dataSource, catalog);
  }

  /**
   * Returns a new random access token (32 random bytes, URL-safe Base64), for a console started
   * without one.
   */
  public static String randomToken() {
    return Sessions.randomToken();
  }

  /** Answers one request; never throws for a request's content. Thread-safe. */
  public ConsoleResponse handle(ConsoleRequest request) {
    return handler.handle(request);
  }

  /**
   * Returns a listener to add to the application's own runner (next to {@link FailureRecorder}) so
   * that this console shows when that runner's backfill workers back off and why.
   */
  public BackfillListener listener() {
    return actions.throttles();
  }

  /**
   * Stops the backfills the console's actions left running in this process, after their current
   * batch.
   */
  @Override
  public void close() {
    actions.close();
  }

  /**
   * Collects a console's settings; only the token (or {@link #authenticatedByHost()}) is required.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private final MigrationCatalog catalog;
    private String schema;
    private String table = "data_migrations";
    private Consumer<MigrationRunner.Builder> runnerOptions = builder -> {};
    private BackfillSettings backfills = BackfillSettings.defaults();
    private boolean actionsEnabled;
    private String token;
    private boolean authenticatedByHost;
    private Clock clock = Clock.systemUTC();

    private Builder(DataSource dataSource, MigrationCatalog catalog) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /**
     * Sets the history table (default {@code data_migrations}), the same as the application's
     * runner's.
     */
    public Builder table(String table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /** Sets the history table's schema (default: the connection's current one). */
    public Builder schema(String schema) {
      this.schema = schema;
      return this;
    }

    /**
     * Sets options applied to every runner the console builds (batch size, workers, lock timeout,
     * ...); the console then sets the table, schema, operator, reason and its listeners itself.
     */
    public Builder runnerOptions(Consumer<MigrationRunner.Builder> runnerOptions) {
      this.runnerOptions = Objects.requireNonNull(runnerOptions, "runnerOptions");
      return this;
    }

    /**
     * Sets the backfill settings of every runner the console builds (batch size, workers, ...;
     * default {@link BackfillSettings#defaults()}); the console adds its own listener, and detaches
     * the backfills its migrate starts.
     */
    public Builder backfillSettings(BackfillSettings backfills) {
      this.backfills = Objects.requireNonNull(backfills, "backfills");
      return this;
    }

    /** Enables the actions (default: off, the console only reads). */
    public Builder actionsEnabled(boolean actionsEnabled) {
      this.actionsEnabled = actionsEnabled;
      return this;
    }

    /**
     * Sets the access token: sent by scripts as {@code Authorization: Bearer <token>}, typed by
     * people into the login form. At least 16 characters; see {@link Console#randomToken()}.
     */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /**
     * Leaves authentication to the server that mounts the console: only requests that carry a
     * {@link ConsoleRequest.HostUser} are answered (401 otherwise), the user's name is the
     * operator, and there is no token, login form or logout. For a host with its own login and CSRF
     * protection, such as Spring Security.
     */
    public Builder authenticatedByHost() {
      this.authenticatedByHost = true;
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Returns the console.
     *
     * @throws IllegalArgumentException if no token of at least 16 characters is set (unless {@link
     *     #authenticatedByHost()}), or a name is not a plain SQL identifier
     */
    public Console build() {
      if (authenticatedByHost && token != null) {
        throw new IllegalArgumentException(
            "The console takes either an access token or authentication by its host, not both");
      }
      if (!authenticatedByHost && (token == null || token.isBlank() || token.length() < 16)) {
        throw new IllegalArgumentException(
            "The console needs an access token of at least 16 characters (Console.randomToken() makes one);"
                + " it refuses every request without it");
      }
      Tables tables = new Tables(schema, table);
      Consumer<MigrationRunner.Builder> options =
          runnerOptions.andThen(
              builder -> {
                builder.table(table);
                if (schema != null) {
                  builder.schema(schema);
                }
              });
      Actions actions = new Actions(dataSource, catalog, tables, options, backfills);
      Views views = new Views(dataSource, catalog, tables, actions, clock);
      return new Console(
          new ConsoleHandler(
              authenticatedByHost ? null : new Sessions(token, clock),
              views,
              actions,
              actionsEnabled),
          actions);
    }
  }
}
