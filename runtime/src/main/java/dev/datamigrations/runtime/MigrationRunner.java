package dev.datamigrations.runtime;

import dev.datamigrations.runtime.internal.CatalogIndex;
import dev.datamigrations.runtime.internal.ConnectionSource;
import dev.datamigrations.runtime.internal.PendingWork;
import dev.datamigrations.runtime.internal.RunnerEngine;
import dev.datamigrations.runtime.internal.TableName;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Applies and reverts the migrations of a {@link MigrationCatalog} on one database: the verbs of
 * Rails' {@code data:migrate}, {@code data:migrate:up/down VERSION=}, {@code data:rollback} and a
 * status report.
 *
 * <pre>{@code
 * MigrationRunner runner = MigrationRegistry.configure(jdbi)
 *     .lockTimeout(Duration.ofMinutes(2))
 *     .reason("JIRA-123 backfill")
 *     .build();
 * MigrateResult result = runner.migrate();
 * }</pre>
 *
 * <p>Every verb that changes data takes a database-level lock for its duration (so concurrent
 * runners apply each migration exactly once), reads the history table once, then runs each
 * migration in a transaction of its own together with its history row, unless the migration is
 * declared {@code transactional = false}.
 *
 * <p>The lock is released by the database (or the operating system) if the process dies:
 * PostgreSQL, a session advisory lock; MySQL and MariaDB, a named lock ({@code GET_LOCK}); SQLite,
 * an operating-system lock on the file {@code <database file>.<table>.lock}; these are taken on the
 * connection that runs the migrations. H2 and other databases: a row lock ({@code SELECT ... FOR
 * UPDATE}) on the one-row table {@code <table>_lock}, held by an open transaction on a second
 * connection. H2, MySQL and MariaDB commit implicitly on DDL, so there a transactional migration's
 * DDL is refused before it runs, and on every database so is a commit or rollback of its own
 * transaction ({@link CommitRefusedException}): a failed transactional migration leaves nothing
 * behind.
 *
 * <p>The history table ({@code data_migrations} unless configured) has the columns {@code version}
 * (primary key), {@code description}, {@code class_name}, {@code applied_at} (UTC), {@code
 * execution_ms}, {@code applied_by} (operator, database user and client host) and {@code reason}.
 *
 * <p>A backfill ({@code dev.datamigrations.runtime.backfill.Backfill}) runs batch by batch, each
 * batch in a transaction of its own that also marks it done in {@code <table>_batches}; {@code
 * <table>_progress} holds its state. {@code migrate} runs the migrations before it, starts it,
 * releases the run lock, hands it to the backfill layer until it is done (or to a background
 * thread, see {@code BackfillSettings.Builder#detach}), then goes on. The backfill layer's {@code
 * Backfills.of(runner)} works on, pauses, resumes and cancels backfills.
 */
public final class MigrationRunner implements AutoCloseable {
  private final RunnerEngine engine;

  private MigrationRunner(RunnerEngine engine) {
    this.engine = engine;
  }

  /** Returns a builder for a runner of {@code catalog}'s migrations on {@code jdbi}'s database. */
  public static Builder configure(Jdbi jdbi, MigrationCatalog catalog) {
    return new Builder(ConnectionSource.of(Objects.requireNonNull(jdbi, "jdbi")), catalog);
  }

  /**
   * Returns a builder for a runner of {@code catalog}'s migrations on {@code dataSource}'s
   * database. The runner plans on plain JDBC connections and creates a {@link Jdbi} only when a
   * migration is about to run, so that a start-up with nothing to migrate does not pay for Jdbi's
   * set-up.
   */
  public static Builder configure(DataSource dataSource, MigrationCatalog catalog) {
    return new Builder(
        ConnectionSource.of(Objects.requireNonNull(dataSource, "dataSource")), catalog);
  }

  /**
   * Applies every pending migration in ascending version order, each in a transaction of its own
   * with its history row unless it is declared {@code transactional = false}. A pending version
   * lower than the newest applied one is applied with a logged warning, or refused before anything
   * changes; see {@link OutOfOrderPolicy}. Stops at the first failure with a {@link
   * MigrationFailedException}: earlier migrations stay applied, later ones do not run. Whatever the
   * exception, its {@link DataMigrationException#completedBefore()} lists what this call applied
   * before the failure. On H2, MySQL and MariaDB a transactional migration's DDL is refused before
   * it runs ({@link CommitRefusedException}).
   *
   * @throws MigrationLockException if another run holds the lock for longer than the lock timeout
   *     (also between the phases around a backfill, after earlier migrations were applied)
   */
  public MigrateResult migrate() {
    return engine.migrate();
  }

  /**
   * Applies one version, whatever the out-of-order policy; a no-op if it is already applied.
   *
   * @throws UnknownMigrationVersionException if the code has no such version
   */
  public MigrateResult up(long version) {
    return engine.up(version);
  }

  /**
   * Reverts one applied version with its {@link Migration#down} and deletes its history row, in one
   * transaction unless it is declared {@code transactional = false}. Fails before changing anything
   * if the version is not in the code ({@link UnknownMigrationVersionException}), not applied
   * ({@link MigrationNotAppliedException}) or irreversible ({@link
   * IrreversibleMigrationException}).
   */
  public MigrateResult down(long version) {
    return engine.down(version);
  }

  /** Reverts the applied migration with the highest version; see {@link #rollback(int)}. */
  public MigrateResult rollback() {
    return rollback(1);
  }

  /**
   * Reverts the {@code steps} applied migrations with the highest versions, highest first (fewer if
   * fewer are applied), each like {@link #down}. Fails before changing anything if one of them is
   * irreversible ({@link IrreversibleMigrationException}) or no longer in the code ({@link
   * UnknownMigrationVersionException}).
   *
   * @throws IllegalArgumentException if {@code steps} is less than 1
   */
  public MigrateResult rollback(int steps) {
    return engine.rollback(steps);
  }

  /**
   * Returns the verbs run without changing anything: {@code runner.dryRun().migrate()} takes the
   * run lock, plans as {@link #migrate()} does (with the same refusals), runs the planned
   * migrations in one transaction that is always rolled back, and reports the statements each
   * issued and the rows they changed. Writes no history and creates no table; see {@link DryRun}.
   */
  public DryRun dryRun() {
    return engine.dryRun();
  }

  /**
   * Returns every version known to the code or the history table, ascending. Reads only: takes no
   * lock and does not create the history table (an absent table means nothing is applied).
   */
  public List<MigrationStatus> status() {
    return engine.status();
  }

  /**
   * Returns what {@link #migrate()} would run, in order, without running it (out-of-order versions
   * included, whatever the policy). Reads only: takes no lock and does not create the history
   * table.
   */
  public List<MigrationDescriptor> pending() {
    return engine.pending();
  }

  /**
   * Throws {@link PendingMigrationsException} if anything is pending or a backfill is still
   * running; the exception tells the two apart ({@link PendingMigrationsException#pending()},
   * {@link PendingMigrationsException#running()}).
   */
  public void assertNoPending() {
    assertNoPending(false);
  }

  /**
   * Throws {@link PendingMigrationsException} if anything has not started, or, unless {@code
   * allowRunning}, if a backfill is still running: an application that leaves backfills to the
   * background starts with {@code assertNoPending(true)}.
   */
  public void assertNoPending(boolean allowRunning) {
    PendingWork work = engine.pendingWork();
    if (!work.pending().isEmpty() || (!allowRunning && !work.running().isEmpty())) {
      throw new PendingMigrationsException(
          work.pending(), allowRunning ? List.of() : work.running());
    }
  }

  /**
   * Returns this runner's part of its backfill layer if it is a {@code type}, installing {@code
   * fallback} first if the runner has none (its catalog lists no backfill and it was given no
   * extension). Engine-facing: for facades such as {@code Backfills.of(runner)}; applications do
   * not call it.
   *
   * @throws IllegalStateException if the installed layer is not a {@code type}
   */
  public <T> T extension(Class<T> type, RunnerExtension fallback) {
    return engine.extension(
        Objects.requireNonNull(type, "type"), Objects.requireNonNull(fallback, "fallback"));
  }

  /**
   * Stops this runner's background backfill workers after their current batch (waiting up to 30
   * seconds); they resume where they stopped on the next run.
   */
  @Override
  public void close() {
    engine.close();
  }

  /** Collects a runner's options; every one has a sensible default. */
  public static final class Builder {
    private final ConnectionSource source;
    private final MigrationCatalog catalog;
    private String schema;
    private String table = "data_migrations";
    private Duration lockTimeout = Duration.ofMinutes(5);
    private OutOfOrderPolicy outOfOrder = OutOfOrderPolicy.APPLY;
    private String operator;
    private String reason;
    private MigrationListener listener = new MigrationListener() {};
    private RunnerExtension extension;

    private Builder(ConnectionSource source, MigrationCatalog catalog) {
      this.source = source;
      this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /**
     * Sets the history table's name (default {@code data_migrations}); a plain SQL identifier
     * ({@code [A-Za-z_][A-Za-z0-9_]*}, at most 54 characters), quoted in SQL after folding to the
     * case the database gives unquoted names, so it is the table you reach by writing the name
     * unquoted. Databases without a named lock (H2 and others) also get a table {@code
     * <table>_lock}; backfills add {@code <table>_progress} and {@code <table>_batches}.
     */
    public Builder table(String table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /**
     * Sets the history table's schema (default: the connection's current schema; on MySQL and
     * MariaDB a database, on SQLite an attached database); a plain SQL identifier, folded and
     * quoted like {@link #table}.
     */
    public Builder schema(String schema) {
      this.schema = schema;
      return this;
    }

    /** Sets how long to wait for another runner's lock before failing (default 5 minutes). */
    public Builder lockTimeout(Duration lockTimeout) {
      if (Objects.requireNonNull(lockTimeout, "lockTimeout").isNegative()) {
        throw new IllegalArgumentException("lockTimeout must not be negative, was " + lockTimeout);
      }
      this.lockTimeout = lockTimeout;
      return this;
    }

    /**
     * Sets what to do with a pending version older than the newest applied one (default: apply it).
     */
    public Builder outOfOrder(OutOfOrderPolicy outOfOrder) {
      this.outOfOrder = Objects.requireNonNull(outOfOrder, "outOfOrder");
      return this;
    }

    /** Names who runs the migrations, stored in the history with the database user and host. */
    public Builder operator(String operator) {
      this.operator = operator;
      return this;
    }

    /**
     * Gives the reason for this run (a ticket, a sentence), stored in the history for the audit
     * trail.
     */
    public Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    /** Sets a listener for progress output. */
    public Builder listener(MigrationListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Gives the runner its backfill layer, e.g. {@code
     * BackfillSettings.builder().workers(4).build()} (default: the backfill layer with its default
     * settings, looked up only if the catalog lists a backfill).
     */
    public Builder with(RunnerExtension extension) {
      this.extension = Objects.requireNonNull(extension, "extension");
      return this;
    }

    /**
     * Returns the runner; validates the table and schema names and the catalog's versions.
     *
     * @throws DataMigrationException if a name is not a plain SQL identifier or two migrations
     *     share a version
     */
    public MigrationRunner build() {
      RunnerEngine.Options options =
          new RunnerEngine.Options(
              TableName.ofHistory(schema, table),
              lockTimeout,
              outOfOrder,
              operator,
              reason,
              listener);
      return new MigrationRunner(
          new RunnerEngine(source, new CatalogIndex(catalog), options, extension));
    }
  }
}
