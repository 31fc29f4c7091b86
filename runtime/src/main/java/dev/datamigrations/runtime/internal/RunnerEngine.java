package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.MigrateResult;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationExecution;
import dev.datamigrations.runtime.MigrationListener;
import dev.datamigrations.runtime.MigrationStatus;
import dev.datamigrations.runtime.OutOfOrderPolicy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link dev.datamigrations.runtime.MigrationRunner} delegates to: opens the handles, takes the lock,
 * reads the history once, plans, runs, and logs the summary.
 */
public final class RunnerEngine {
  private static final Logger LOG = LoggerFactory.getLogger("dev.datamigrations.runtime.MigrationRunner");

  /**
   * The runner's options.
   *
   * @param operator who runs it, or null
   * @param reason why, or null
   */
  public record Options(
      TableName table,
      Duration lockTimeout,
      OutOfOrderPolicy outOfOrder,
      String operator,
      String reason,
      MigrationListener listener) {}

  private final Jdbi jdbi;
  private final CatalogIndex catalog;
  private final Options options;
  private volatile Dialect dialect;

  public RunnerEngine(Jdbi jdbi, CatalogIndex catalog, Options options) {
    this.jdbi = jdbi;
    this.catalog = catalog;
    this.options = options;
  }

  public MigrateResult migrate() {
    return locked("migrate", planner -> planner.migrate(options.outOfOrder()));
  }

  public MigrateResult up(long version) {
    return locked("up " + version, planner -> planner.up(version));
  }

  public MigrateResult down(long version) {
    return locked("down " + version, planner -> planner.down(version));
  }

  public MigrateResult rollback(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("rollback steps must be at least 1, was " + steps);
    }
    return locked("rollback " + steps, planner -> planner.rollback(steps));
  }

  /** Reads without locking and without creating the history table: an absent table means nothing is applied. */
  public List<MigrationStatus> status() {
    return readOnly(Planner::status);
  }

  public List<MigrationDescriptor> pending() {
    return readOnly(Planner::pending);
  }

  private <T> T readOnly(Function<Planner, T> query) {
    try (Handle handle = jdbi.open()) {
      Connection connection = handle.getConnection();
      HistoryTable history = new HistoryTable(dialect(connection), options.table());
      return query.apply(new Planner(catalog, history.readIfExists(connection)));
    }
  }

  /**
   * Runs a verb that changes data: the lock on a handle of its own, then on the migrations' handle the history
   * table (created if absent), one read of it, the plan, and the steps.
   */
  @SuppressWarnings("try") // the lock is held by the try block, not used in it
  private MigrateResult locked(String verb, Function<Planner, Plan> planning) {
    long start = System.nanoTime();
    try (Handle lockHandle = jdbi.open()) {
      Dialect dialect = dialect(lockHandle.getConnection());
      try (RunLock lock =
              RunLock.acquire(dialect, lockHandle.getConnection(), options.table(), options.lockTimeout());
          Handle handle = jdbi.open()) {
        HistoryTable history = new HistoryTable(dialect, options.table());
        history.createIfAbsent(handle.getConnection());
        Plan plan = planning.apply(new Planner(catalog, history.read(handle.getConnection())));
        warnAboutImplicitCommits(dialect, plan);
        List<MigrationExecution> executed;
        try (StepRunner steps =
            new StepRunner(handle, history, catalog, options.listener(), options.operator(), options.reason())) {
          executed = steps.runAll(plan.steps());
        }
        MigrateResult result =
            new MigrateResult(executed, plan.alreadyApplied(), Duration.ofNanos(System.nanoTime() - start));
        logSummary(verb, result);
        return result;
      }
    }
  }

  private void warnAboutImplicitCommits(Dialect dialect, Plan plan) {
    if (dialect.commitsDdlImplicitly() && plan.steps().stream().anyMatch(s -> s.descriptor().transactional())) {
      LOG.warn(
          "MySQL and MariaDB commit implicitly on DDL (CREATE, ALTER, DROP, TRUNCATE, ...): a transactional data"
              + " migration that runs DDL is not atomic there, and a failure after its DDL cannot be rolled back");
    }
  }

  private void logSummary(String verb, MigrateResult result) {
    if (result.executed().isEmpty()) {
      LOG.info(
          "Data migrations ({}) on {}: nothing to do, {} already applied, in {} ms",
          verb,
          options.table(),
          result.alreadyApplied(),
          result.duration().toMillis());
    } else {
      LOG.info(
          "Data migrations ({}) on {}: ran {} (from {} to {}), {} already applied, in {} ms",
          verb,
          options.table(),
          result.executed().size(),
          result.executed().get(0).migration().version(),
          result.executed().get(result.executed().size() - 1).migration().version(),
          result.alreadyApplied(),
          result.duration().toMillis());
    }
  }

  private Dialect dialect(Connection connection) {
    Dialect known = dialect;
    if (known == null) {
      try {
        known = Dialect.detect(connection.getMetaData().getDatabaseProductName());
      } catch (SQLException e) {
        throw new DataMigrationException("Could not tell which database this is: " + e, e);
      }
      dialect = known;
    }
    return known;
  }
}
