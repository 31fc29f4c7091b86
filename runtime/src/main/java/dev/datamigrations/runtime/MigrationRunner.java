package dev.datamigrations.runtime;

import dev.datamigrations.runtime.internal.CatalogIndex;
import dev.datamigrations.runtime.internal.RunnerEngine;
import dev.datamigrations.runtime.internal.TableName;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
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
 * <p>The lock is held on a connection of its own and is released by the database if the process dies:
 * PostgreSQL, a session advisory lock; MySQL and MariaDB, a named lock ({@code GET_LOCK}); SQLite, an
 * operating-system lock on the file {@code <database file>.<table>.lock}; H2 and other databases, a row lock
 * ({@code SELECT ... FOR UPDATE}) on the one-row table {@code <table>_lock}. MySQL and MariaDB commit
 * implicitly on DDL, so there a transactional migration that runs DDL is not atomic (a warning is logged).
 *
 * <p>The history table ({@code data_migrations} unless configured) has the columns {@code version} (primary
 * key), {@code description}, {@code class_name}, {@code applied_at} (UTC), {@code execution_ms},
 * {@code applied_by} (operator, database user and client host) and {@code reason}.
 */
public final class MigrationRunner {
  private final RunnerEngine engine;

  private MigrationRunner(RunnerEngine engine) {
    this.engine = engine;
  }

  /** Returns a builder for a runner of {@code catalog}'s migrations on {@code jdbi}'s database. */
  public static Builder configure(Jdbi jdbi, MigrationCatalog catalog) {
    return new Builder(jdbi, catalog);
  }

  /** Returns a runner with the default settings. */
  public static MigrationRunner create(Jdbi jdbi, MigrationCatalog catalog) {
    return configure(jdbi, catalog).build();
  }

  /**
   * Applies every pending migration in ascending version order, each in a transaction of its own with its
   * history row unless it is declared {@code transactional = false}. A pending version lower than the newest
   * applied one is applied with a logged warning, or refused before anything changes; see
   * {@link OutOfOrderPolicy}. Stops at the first failure with a {@link MigrationFailedException}: earlier
   * migrations stay applied, later ones do not run.
   *
   * @throws MigrationLockException if another run holds the lock for longer than the lock timeout
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

  /** Throws {@link PendingMigrationsException} if anything is pending. */
  public void assertNoPending() {
    List<MigrationDescriptor> pending = pending();
    if (!pending.isEmpty()) {
      throw new PendingMigrationsException(pending);
    }
  }

  /** Collects a runner's options; every one has a sensible default. */
  public static final class Builder {
    private final Jdbi jdbi;
    private final MigrationCatalog catalog;
    private String schema;
    private String table = "data_migrations";
    private Duration lockTimeout = Duration.ofMinutes(5);
    private OutOfOrderPolicy outOfOrder = OutOfOrderPolicy.APPLY;
    private String operator;
    private String reason;
    private MigrationListener listener = new MigrationListener() {};

    private Builder(Jdbi jdbi, MigrationCatalog catalog) {
      this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
      this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /**
     * Sets the history table's name (default {@code data_migrations}); a plain SQL identifier
     * ({@code [A-Za-z_][A-Za-z0-9_]*}, at most 58 characters), quoted in SQL after folding to the case the
     * database gives unquoted names, so it is the table you reach by writing the name unquoted. Databases
     * without a named lock (H2 and others) also get a table {@code <table>_lock}.
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

    /**
     * Returns the runner; validates the table and schema names and the catalog's versions.
     *
     * @throws DataMigrationException if a name is not a plain SQL identifier or two migrations share a version
     */
    public MigrationRunner build() {
      RunnerEngine.Options options =
          new RunnerEngine.Options(
              TableName.ofHistory(schema, table), lockTimeout, outOfOrder, operator, reason, listener);
      return new MigrationRunner(new RunnerEngine(jdbi, new CatalogIndex(catalog), options));
    }
  }
}
