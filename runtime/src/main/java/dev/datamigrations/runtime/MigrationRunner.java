package dev.datamigrations.runtime;

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
 */
public final class MigrationRunner {
  // IMPLEMENTATION PENDING (issue 3): the runtime helper fills in the bodies below.

  private final Jdbi jdbi;
  private final MigrationCatalog catalog;
  private final Settings settings;

  private MigrationRunner(Jdbi jdbi, MigrationCatalog catalog, Settings settings) {
    this.jdbi = jdbi;
    this.catalog = catalog;
    this.settings = settings;
  }

  /** Returns a builder for a runner of {@code catalog}'s migrations on {@code jdbi}'s database. */
  public static Builder configure(Jdbi jdbi, MigrationCatalog catalog) {
    return new Builder(jdbi, catalog);
  }

  /** Returns a runner with the default settings. */
  public static MigrationRunner create(Jdbi jdbi, MigrationCatalog catalog) {
    return configure(jdbi, catalog).build();
  }

  /** Applies every pending migration in ascending version order; see {@link OutOfOrderPolicy}. */
  public MigrateResult migrate() {
    throw new UnsupportedOperationException("issue 3");
  }

  /** Applies one version; a no-op if it is already applied. */
  public MigrateResult up(long version) {
    throw new UnsupportedOperationException("issue 3");
  }

  /** Reverts one applied version; fails before changing anything if it is irreversible. */
  public MigrateResult down(long version) {
    throw new UnsupportedOperationException("issue 3");
  }

  /** Reverts the most recently applied migration. */
  public MigrateResult rollback() {
    return rollback(1);
  }

  /** Reverts the {@code steps} most recently applied migrations, newest first. */
  public MigrateResult rollback(int steps) {
    throw new UnsupportedOperationException("issue 3");
  }

  /** Returns every version known to the code or the history table, ascending. */
  public List<MigrationStatus> status() {
    throw new UnsupportedOperationException("issue 3");
  }

  /** Returns what {@link #migrate()} would run, in order, without running it. */
  public List<MigrationDescriptor> pending() {
    throw new UnsupportedOperationException("issue 3");
  }

  /** Throws {@link PendingMigrationsException} if anything is pending. */
  public void assertNoPending() {
    List<MigrationDescriptor> pending = pending();
    if (!pending.isEmpty()) {
      throw new PendingMigrationsException(pending);
    }
  }

  /** The options a {@link Builder} collects. */
  record Settings(
      String schema,
      String table,
      Duration lockTimeout,
      OutOfOrderPolicy outOfOrder,
      String operator,
      String reason,
      MigrationListener listener) {}

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

    /** Sets the history table's name (default {@code data_migrations}); a plain SQL identifier. */
    public Builder table(String table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /** Sets the history table's schema (default: the connection's current schema). */
    public Builder schema(String schema) {
      this.schema = schema;
      return this;
    }

    /** Sets how long to wait for another runner's lock before failing (default 5 minutes). */
    public Builder lockTimeout(Duration lockTimeout) {
      this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
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

    /** Returns the runner; validates the table and schema names. */
    public MigrationRunner build() {
      return new MigrationRunner(
          jdbi,
          catalog,
          new Settings(schema, table, lockTimeout, outOfOrder, operator, reason, listener));
    }
  }
}
