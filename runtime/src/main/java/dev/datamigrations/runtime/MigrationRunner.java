package dev.datamigrations.runtime;

import dev.datamigrations.runtime.internal.BackfillSettings;
import dev.datamigrations.runtime.internal.CatalogIndex;
import dev.datamigrations.runtime.internal.ConnectionSource;
import dev.datamigrations.runtime.internal.RunnerEngine;
import dev.datamigrations.runtime.internal.TableName;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Applies and reverts the migrations of a {@link MigrationCatalog} on one database: the verbs of Rails'
 * {@code data:migrate}, {@code data:migrate:up/down VERSION=}, {@code data:rollback} and a status report.
 *
 * <pre>{@code
 * MigrationRunner runner = MigrationRegistry.configure(jdbi)
 *     .lockTimeout(Duration.ofMinutes(2))
 *     .reason("JIRA-123 backfill")
 *     .build();
 * MigrateResult result = runner.migrate();
 * }</pre>
 *
 * <p>Every verb that changes data takes a database-level lock for its duration (so concurrent runners apply
 * each migration exactly once), reads the history table once, then runs each migration in a transaction of its
 * own together with its history row, unless the migration is declared {@code transactional = false}.
 *
 * <p>The lock is released by the database (or the operating system) if the process dies: PostgreSQL, a session
 * advisory lock; MySQL and MariaDB, a named lock ({@code GET_LOCK}); SQLite, an operating-system lock on the file
 * {@code <database file>.<table>.lock}; these are taken on the connection that runs the migrations. H2 and other
 * databases: a row lock ({@code SELECT ... FOR UPDATE}) on the one-row table {@code <table>_lock}, held by an
 * open transaction on a second connection. H2, MySQL and MariaDB commit implicitly on DDL, so there a
 * transactional migration's DDL is refused before it runs, and on every database so is a commit or rollback of its
 * own transaction ({@link CommitRefusedException}): a failed transactional migration leaves nothing behind.
 *
 * <p>The history table ({@code data_migrations} unless configured) has the columns {@code version} (primary
 * key), {@code description}, {@code class_name}, {@code applied_at} (UTC), {@code execution_ms},
 * {@code applied_by} (operator, database user and client host) and {@code reason}.
 *
 * <p>A {@link Backfill} runs batch by batch, each batch in a transaction of its own that also marks it done in
 * {@code <table>_batches}; {@code <table>_progress} holds its state. {@code migrate} runs the migrations before
 * it, starts it, releases the run lock, works on it until it is done (or leaves it to a background thread, see
 * {@link Builder#detachBackfills}), then goes on. Other processes can join it ({@link #work}) and
 * {@link #pause}, {@link #resume} or {@link #cancel} it.
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
   * Returns a builder for a runner of {@code catalog}'s migrations on {@code dataSource}'s database. The runner
   * plans on plain JDBC connections and creates a {@link Jdbi} only when a migration is about to run, so that a
   * start-up with nothing to migrate does not pay for Jdbi's set-up.
   */
  public static Builder configure(DataSource dataSource, MigrationCatalog catalog) {
    return new Builder(ConnectionSource.of(Objects.requireNonNull(dataSource, "dataSource")), catalog);
  }

  /** Returns a runner with the default settings. */
  public static MigrationRunner create(Jdbi jdbi, MigrationCatalog catalog) {
    return configure(jdbi, catalog).build();
  }

  /** Returns a runner with the default settings, see {@link #configure(DataSource, MigrationCatalog)}. */
  public static MigrationRunner create(DataSource dataSource, MigrationCatalog catalog) {
    return configure(dataSource, catalog).build();
  }

  /**
   * Applies every pending migration in ascending version order, each in a transaction of its own with its
   * history row unless it is declared {@code transactional = false}. A pending version lower than the newest
   * applied one is applied with a logged warning, or refused before anything changes; see
   * {@link OutOfOrderPolicy}. Stops at the first failure with a {@link MigrationFailedException}: earlier
   * migrations stay applied, later ones do not run. Whatever the exception, its
   * {@link DataMigrationException#completedBefore()} lists what this call applied before the failure. On H2, MySQL
   * and MariaDB a transactional migration's DDL is refused before it runs ({@link CommitRefusedException}).
   *
   * @throws MigrationLockException if another run holds the lock for longer than the lock timeout (also between
   *     the phases around a backfill, after earlier migrations were applied)
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
   * Reverts one applied version with its {@link Migration#down} and deletes its history row, in one transaction
   * unless it is declared {@code transactional = false}. Fails before changing anything if the version is not
   * in the code ({@link UnknownMigrationVersionException}), not applied ({@link MigrationNotAppliedException})
   * or irreversible ({@link IrreversibleMigrationException}).
   */
  public MigrateResult down(long version) {
    return engine.down(version);
  }

  /** Reverts the applied migration with the highest version; see {@link #rollback(int)}. */
  public MigrateResult rollback() {
    return rollback(1);
  }

  /**
   * Reverts the {@code steps} applied migrations with the highest versions, highest first (fewer if fewer are
   * applied), each like {@link #down}. Fails before changing anything if one of them is irreversible
   * ({@link IrreversibleMigrationException}) or no longer in the code ({@link UnknownMigrationVersionException}).
   *
   * @throws IllegalArgumentException if {@code steps} is less than 1
   */
  public MigrateResult rollback(int steps) {
    return engine.rollback(steps);
  }

  /**
   * Returns every version known to the code or the history table, ascending. Reads only: takes no lock and
   * does not create the history table (an absent table means nothing is applied).
   */
  public List<MigrationStatus> status() {
    return engine.status();
  }

  /**
   * Returns what {@link #migrate()} would run, in order, without running it (out-of-order versions included,
   * whatever the policy). Reads only: takes no lock and does not create the history table.
   */
  public List<MigrationDescriptor> pending() {
    return engine.pending();
  }

  /**
   * Throws {@link PendingMigrationsException} if anything is pending or a backfill is still running; the
   * exception tells the two apart ({@link PendingMigrationsException#pending()},
   * {@link PendingMigrationsException#running()}).
   */
  public void assertNoPending() {
    assertNoPending(false);
  }

  /**
   * Throws {@link PendingMigrationsException} if anything has not started, or, unless {@code allowRunning}, if a
   * backfill is still running: an application that leaves backfills to the background starts with
   * {@code assertNoPending(true)}.
   */
  public void assertNoPending(boolean allowRunning) {
    List<List<MigrationDescriptor>> pendingAndRunning = engine.pendingAndRunning();
    List<MigrationDescriptor> pending = pendingAndRunning.get(0);
    List<MigrationDescriptor> running = pendingAndRunning.get(1);
    if (!pending.isEmpty() || (!allowRunning && !running.isEmpty())) {
      throw new PendingMigrationsException(pending, allowRunning ? List.of() : running);
    }
  }

  /**
   * Works on backfill {@code version} in this process until it is done, paused-then-cancelled, or this runner is
   * closed, with the configured number of worker threads; starts it first if it is pending (in or out of order,
   * like {@link #up}). Several processes may work on one backfill at once on PostgreSQL, MySQL and MariaDB; on
   * other databases a worker holds the run lock, so one at a time. Returns the progress at the end.
   *
   * @throws BackfillStateException if {@code version} is not a backfill
   * @throws UnknownMigrationVersionException if the code has no such version
   */
  public BackfillProgress work(long version) {
    return engine.work(version);
  }

  /**
   * Pauses a started backfill: its workers, in every process, finish their current batch and wait. Persisted.
   *
   * @throws BackfillStateException if it has not started, is done or cancelled
   */
  public BackfillProgress pause(long version) {
    return engine.changeState(version, "pause", BackfillState.PAUSED, BackfillState.RUNNING);
  }

  /**
   * Resumes a paused or cancelled backfill where it stopped. A cancelled one has no workers left: run
   * {@code migrate} or {@link #work} again.
   *
   * @throws BackfillStateException if it has not started or is done
   */
  public BackfillProgress resume(long version) {
    return engine.changeState(
        version, "resume", BackfillState.RUNNING, BackfillState.PAUSED, BackfillState.CANCELLED);
  }

  /**
   * Cancels a started backfill: its workers, in every process, stop after their current batch, and
   * {@code migrate} refuses to go past it until it is resumed. Batches done stay done.
   *
   * @throws BackfillStateException if it has not started or is done
   */
  public BackfillProgress cancel(long version) {
    return engine.changeState(
        version, "cancel", BackfillState.CANCELLED, BackfillState.RUNNING, BackfillState.PAUSED);
  }

  /** Returns the progress of a started backfill, read from the database; empty if it has not started. */
  public Optional<BackfillProgress> progress(long version) {
    return engine.progress(version);
  }

  /**
   * Waits up to {@code timeout} for the backfills a detached {@link #migrate()} left running in this process;
   * returns whether they ended.
   */
  public boolean awaitBackfills(Duration timeout) {
    return engine.awaitBackground(timeout);
  }

  /**
   * Stops this runner's background backfill workers after their current batch (waiting up to 30 seconds);
   * they resume where they stopped on the next run.
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
    private int batchSize = 5000;
    private BatchTuning tuning;
    private Duration pauseBetweenBatches = Duration.ZERO;
    private HealthCheck healthCheck = HealthCheck.none();
    private Duration maxBackoff = Duration.ofMinutes(1);
    private int workers = 1;
    private Duration progressInterval = Duration.ofSeconds(10);
    private Duration pollInterval = Duration.ofSeconds(1);
    private boolean detachBackfills;

    private Builder(ConnectionSource source, MigrationCatalog catalog) {
      this.source = source;
      this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /**
     * Sets the history table's name (default {@code data_migrations}); a plain SQL identifier
     * ({@code [A-Za-z_][A-Za-z0-9_]*}, at most 54 characters), quoted in SQL after folding to the case the
     * database gives unquoted names, so it is the table you reach by writing the name unquoted. Databases
     * without a named lock (H2 and others) also get a table {@code <table>_lock}; backfills add
     * {@code <table>_progress} and {@code <table>_batches}.
     */
    public Builder table(String table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /**
     * Sets the history table's schema (default: the connection's current schema; on MySQL and MariaDB a database,
     * on SQLite an attached database); a plain SQL identifier, folded and quoted like {@link #table}.
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

    /** Sets what to do with a pending version older than the newest applied one (default: apply it). */
    public Builder outOfOrder(OutOfOrderPolicy outOfOrder) {
      this.outOfOrder = Objects.requireNonNull(outOfOrder, "outOfOrder");
      return this;
    }

    /** Names who runs the migrations, stored in the history with the database user and host. */
    public Builder operator(String operator) {
      this.operator = operator;
      return this;
    }

    /** Gives the reason for this run (a ticket, a sentence), stored in the history for the audit trail. */
    public Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    /** Sets a listener for progress output. */
    public Builder listener(MigrationListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Sets the number of keys per backfill batch (default 5000), the first size when tuning is on. */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Adjusts the batch size toward a target duration (default: off, fixed size). */
    public Builder batchTuning(BatchTuning tuning) {
      this.tuning = tuning;
      return this;
    }

    /** Sets each backfill worker's pause between two batches (default none). */
    public Builder pauseBetweenBatches(Duration pause) {
      if (Objects.requireNonNull(pause, "pause").isNegative()) {
        throw new IllegalArgumentException("pause must not be negative, was " + pause);
      }
      this.pauseBetweenBatches = pause;
      return this;
    }

    /**
     * Sets the check asked before each batch (default: always healthy); while it says unhealthy, the worker
     * waits, doubling the wait up to {@code maxBackoff} (from the pause between batches, at least 100 ms).
     */
    public Builder healthCheck(HealthCheck healthCheck, Duration maxBackoff) {
      this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
      this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
      return this;
    }

    /** Sets a health check with a back-off of at most one minute; see {@link #healthCheck(HealthCheck, Duration)}. */
    public Builder healthCheck(HealthCheck healthCheck) {
      return healthCheck(healthCheck, Duration.ofMinutes(1));
    }

    /**
     * Sets how many worker threads this process runs per backfill (default 1). Used on PostgreSQL, MySQL and
     * MariaDB, which claim batches with {@code FOR UPDATE SKIP LOCKED}; elsewhere one worker runs.
     */
    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be at least 1, was " + workers);
      }
      this.workers = workers;
      return this;
    }

    /** Sets how often backfill progress is logged and given to the listener (default 10 seconds). */
    public Builder progressInterval(Duration progressInterval) {
      this.progressInterval = Objects.requireNonNull(progressInterval, "progressInterval");
      return this;
    }

    /**
     * Sets how often a waiting backfill worker looks at the database again: paused, or every open batch claimed
     * by another worker (default 1 second).
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
      return this;
    }

    /**
     * Makes {@code migrate} return once it reaches a backfill (after applying the migrations before it and
     * starting it), leaving the backfill, and the versions after it, to a daemon thread of this process
     * (default: {@code migrate} returns when everything is applied). See {@link MigrateResult#detached()},
     * {@link #awaitBackfills} and {@link #close}.
     */
    public Builder detachBackfills(boolean detach) {
      this.detachBackfills = detach;
      return this;
    }

    /**
     * Returns the runner; validates the table and schema names and the catalog's versions.
     *
     * @throws DataMigrationException if a name is not a plain SQL identifier or two migrations share a version
     */
    public MigrationRunner build() {
      RunnerEngine.Options options =
          new RunnerEngine.Options(
              TableName.ofHistory(schema, table),
              lockTimeout,
              outOfOrder,
              operator,
              reason,
              listener,
              new BackfillSettings(
                  batchSize,
                  tuning,
                  pauseBetweenBatches,
                  healthCheck,
                  maxBackoff,
                  workers,
                  progressInterval,
                  pollInterval,
                  detachBackfills));
      return new MigrationRunner(new RunnerEngine(source, new CatalogIndex(catalog), options));
    }
  }
}
