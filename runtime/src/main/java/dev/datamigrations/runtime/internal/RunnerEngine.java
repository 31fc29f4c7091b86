package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.Backfill;
import dev.datamigrations.runtime.BackfillCancelledException;
import dev.datamigrations.runtime.BackfillProgress;
import dev.datamigrations.runtime.BackfillState;
import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.Direction;
import dev.datamigrations.runtime.KeyRange;
import dev.datamigrations.runtime.MigrateResult;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationExecution;
import dev.datamigrations.runtime.MigrationListener;
import dev.datamigrations.runtime.MigrationStatus;
import dev.datamigrations.runtime.OutOfOrderPolicy;
import dev.datamigrations.runtime.UnknownMigrationVersionException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
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
      MigrationListener listener,
      BackfillSettings backfills) {}

  private final ConnectionSource source;
  private final CatalogIndex catalog;
  private final Options options;
  private volatile Dialect dialect;
  private final List<Thread> background = new CopyOnWriteArrayList<>();
  private volatile boolean stopping;

  public RunnerEngine(ConnectionSource source, CatalogIndex catalog, Options options) {
    this.source = source;
    this.catalog = catalog;
    this.options = options;
  }

  public MigrateResult migrate() {
    return withBackfills("migrate", planner -> planner.migrate(options.outOfOrder()), options.backfills().detach());
  }

  public MigrateResult up(long version) {
    if (catalog.get(version) == null) {
      // Refused before anything changes; the message quotes the history's row of a removed version, which the
      // versions-only read of the locked run does not have: plan on one full read instead.
      readOnly(planner -> planner.up(version));
    }
    return withBackfills("up " + version, planner -> planner.up(version), false);
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

  /**
   * Returns what {@code assertNoPending} needs from one read: the migrations that have not started, and the
   * backfills that started and are not done.
   */
  public List<List<MigrationDescriptor>> pendingAndRunning() {
    return readOnly(
        planner -> {
          List<MigrationDescriptor> pending = new ArrayList<>();
          List<MigrationDescriptor> running = new ArrayList<>();
          for (MigrationDescriptor descriptor : planner.pending()) {
            (planner.started(descriptor.version()) ? running : pending).add(descriptor);
          }
          return List.of(pending, running);
        });
  }

  /** Reads the history, and the backfill progress if the code has backfills, without locking or creating. */
  private <T> T readOnly(Function<Planner, T> query) {
    // A lease, not a Jdbi handle: in auto-commit whatever the pool's default, and no Jdbi created for a read.
    try (ConnectionSource.Lease lease = source.lease()) {
      Connection connection = lease.connection();
      Dialect dialect = dialect(connection);
      HistoryTable history = new HistoryTable(dialect, options.table());
      Map<Long, BackfillProgress> progress = Map.of();
      if (catalog.ascending().stream().anyMatch(e -> e.descriptor().backfill())) {
        try {
          progress = new BackfillTables(dialect, options.table()).readAllProgress(connection);
        } catch (SQLException e) {
          throw new DataMigrationException(
              "Could not read the backfill progress of " + options.table() + ": " + e, e);
        }
      }
      return query.apply(new Planner(catalog, history.readIfExists(connection), progress));
    }
  }

  // ---------------------------------------------------------------------------------------------- backfills

  /**
   * What a locked phase did: the plain migrations it ran, and the backfill it stopped at, started; or, if
   * {@code finishedElsewhere}, the backfill another run finished after this phase read the history.
   */
  private record Phase(
      List<MigrationExecution> executed, int alreadyApplied, Step backfill, boolean finishedElsewhere) {}

  /**
   * Runs a verb that may meet backfills: a locked phase runs the plain migrations up to the first backfill and
   * starts that backfill; the backfill then runs without the run lock (its workers coordinate through its
   * tables), or is left to a background thread; then the next phase plans again.
   */
  private MigrateResult withBackfills(String verb, Function<Planner, Plan> planning, boolean detach) {
    long start = System.nanoTime();
    List<MigrationExecution> executed = new ArrayList<>();
    try {
      return phases(verb, planning, detach, start, executed);
    } catch (DataMigrationException e) {
      // Earlier phases' migrations and backfills stay applied: the exception says so.
      throw logPartial(verb, e.addCompletedBefore(executed));
    } catch (RuntimeException e) {
      if (executed.isEmpty()) {
        throw e;
      }
      throw logPartial(
          verb,
          new DataMigrationException("Data migrations (" + verb + ") failed: " + e, e).addCompletedBefore(executed));
    }
  }

  private DataMigrationException logPartial(String verb, DataMigrationException e) {
    if (!e.completedBefore().isEmpty()) {
      LOG.error(
          "Data migrations ({}) on {} stopped after {} completed, which stay so: {}",
          verb, options.table(), e.completedBefore().size(),
          e.completedBefore().stream().map(x -> x.migration().toString()).toList());
    }
    return e;
  }

  private MigrateResult phases(
      String verb, Function<Planner, Plan> planning, boolean detach, long start, List<MigrationExecution> executed) {
    int alreadyApplied = -1;
    Long lastDone = null;
    while (true) {
      Phase phase = lockedPhase(planning, executed);
      alreadyApplied = alreadyApplied < 0 ? phase.alreadyApplied() : alreadyApplied;
      if (phase.backfill() == null) {
        break;
      } else if (phase.finishedElsewhere()) {
        continue; // applied now: the next phase plans past it
      }
      MigrationDescriptor backfill = phase.backfill().descriptor();
      if (lastDone != null && lastDone == backfill.version()) {
        // Every verb ends: a backfill that finished and is pending again (its history row deleted meanwhile)
        // is not run in a loop.
        throw new DataMigrationException(
            "Backfill " + backfill + " finished but has no row in " + options.table() + " (deleted while it ran?);"
                + " stopped instead of running it again. Run again to run it from the start.");
      }
      if (detach) {
        startBackground(verb, planning, phase.backfill());
        MigrateResult result =
            new MigrateResult(executed, alreadyApplied, Duration.ofNanos(System.nanoTime() - start), List.of(backfill));
        LOG.info(
            "Data migrations ({}) on {}: ran {}, left backfill {} running in the background",
            verb, options.table(), executed.size(), backfill);
        return result;
      }
      long backfillStart = System.nanoTime();
      BackfillWorker.Outcome outcome = runBackfill(phase.backfill());
      if (outcome == BackfillWorker.Outcome.CANCELLED) {
        throw new BackfillCancelledException(backfill, progress(backfill.version()).orElseThrow());
      } else if (outcome == BackfillWorker.Outcome.STOPPED) {
        throw new DataMigrationException(
            "Backfill " + backfill + " was stopped (the runner was closed or the thread interrupted); it resumes"
                + " where it stopped on the next run");
      }
      MigrationExecution execution =
          new MigrationExecution(backfill, Direction.UP, Duration.ofNanos(System.nanoTime() - backfillStart));
      executed.add(execution);
      options.listener().succeeded(execution);
      lastDone = backfill.version();
    }
    MigrateResult result =
        new MigrateResult(executed, Math.max(0, alreadyApplied), Duration.ofNanos(System.nanoTime() - start));
    logSummary(verb, result);
    return result;
  }

  /** Runs the plain steps before the first backfill under the run lock, and starts that backfill. */
  private Phase lockedPhase(Function<Planner, Plan> planning, List<MigrationExecution> completed) {
    return underRunLock(
        (lease, dialect, lock) -> {
          Connection connection = lease.connection();
          HistoryTable history = new HistoryTable(dialect, options.table());
          // migrate, up and work need only which versions are applied: the cheapest read of the history.
          Plan plan =
              planning.apply(new Planner(catalog, history.readVersionsCreatingIfAbsent(connection), Map.of()));
          List<Step> plain = new ArrayList<>();
          Step backfill = null;
          for (Step step : plan.steps()) {
            if (step.direction() == Direction.UP && step.descriptor().backfill()) {
              backfill = step;
              break;
            }
            plain.add(step);
          }
          List<MigrationExecution> executed = runSteps(lease, lock, history, plain, completed);
          boolean finishedElsewhere = backfill != null && !start(lease, dialect, history, backfill);
          return new Phase(executed, plan.alreadyApplied(), backfill, finishedElsewhere);
        });
  }

  /** Runs {@code steps} on the lease's handle, made only now: a run with nothing to do never creates one. */
  private List<MigrationExecution> runSteps(
      ConnectionSource.Lease lease,
      RunLock lock,
      HistoryTable history,
      List<Step> steps,
      List<MigrationExecution> completed) {
    if (steps.isEmpty()) {
      return List.of();
    }
    List<MigrationExecution> ran;
    try (StepRunner runner =
        new StepRunner(
            lease.handle(), lock, history, catalog, options.listener(), options.operator(), options.reason())) {
      ran = runner.runAll(steps);
      // Committed: a failure after this point (restoring the connection, releasing the lock) reports them.
      completed.addAll(ran);
    }
    return ran;
  }

  /** Work done under the run lock, on the migrations' connection. */
  private interface LockedWork<T> {
    T run(ConnectionSource.Lease lease, Dialect dialect, RunLock lock);
  }

  /**
   * Opens the connection that runs the migrations and takes the run lock for {@code work}. A lock that needs a
   * connection of its own (see {@link RunLock}) gets it within the lock timeout, so that a pool with no second
   * connection to give fails with the fix instead of hanging.
   */
  private <T> T underRunLock(LockedWork<T> work) {
    try (ConnectionSource.Lease lease = source.lease()) {
      Dialect dialect = dialect(lease.connection());
      try (RunLock lock =
          RunLock.acquire(
              dialect,
              lease.connection(),
              () ->
                  source.leaseWithin(
                      options.lockTimeout(),
                      "the run lock of " + dialect + " here is held by a transaction left open on a connection of"
                          + " its own, while the migrations commit on another."),
              options.table(),
              options.lockTimeout())) {
        return work.run(lease, dialect, lock);
      }
    }
  }

  /**
   * Starts the backfill of {@code step} under the run lock, or resumes it: asks the health check whether it can
   * work here, then, for a backfill that has not started, checks its key column and writes its progress row
   * (creating the backfill tables if absent). Refuses a cancelled one. Reads no row of the walked table: the
   * estimate is counted later, outside the run lock ({@link #runBackfill}).
   *
   * <p>The planner runs a backfill only when it had no history row. A progress row that says DONE then is either
   * fresh or stale. Fresh: another run's workers (which hold no run lock where batches are shared) finished it
   * after this run read the history; its DONE and its history row commit together, so the history row is there
   * now, and nothing is done here. Stale (the history row was deleted by hand to run it again, or a crash hit a
   * {@code down} of an older version between its steps): its progress and batches are forgotten in one transaction
   * and it starts again from the start.
   *
   * @return false if another run finished the backfill meanwhile, true if it is started or resumed
   */
  private boolean start(ConnectionSource.Lease lease, Dialect dialect, HistoryTable history, Step step) {
    MigrationDescriptor descriptor = step.descriptor();
    Connection connection = lease.connection();
    BackfillTables tables = new BackfillTables(dialect, options.table());
    Backfill backfill = backfill(step);
    verifyHealthCheck(lease, descriptor);
    try {
      BackfillTables.Row row = tables.exists(connection) ? tables.read(connection, descriptor.version(), false) : null;
      if (row != null && row.state() == BackfillState.DONE && history.contains(connection, descriptor.version())) {
        LOG.info("Backfill {} was finished by another run meanwhile", descriptor);
        return false;
      }
      if (row != null && row.state() == BackfillState.DONE) {
        LOG.warn(
            "Backfill {} is marked done in {} but has no history row (deleted to run it again, or a down that did"
                + " not finish): forgetting its {} batches and running it again from the start",
            descriptor, options.table().progressTable(), row.batchesPlanned());
        connection.setAutoCommit(false);
        try {
          tables.delete(connection, descriptor.version());
          connection.commit();
        } finally {
          if (!connection.getAutoCommit()) {
            connection.rollback();
            connection.setAutoCommit(true);
          }
        }
        row = null;
      }
      if (row == null) {
        // Before anything is written: a key that cannot be walked is refused with the fix.
        KeyColumnCheck.check(connection, dialect, descriptor, backfill.keys());
        if (step.outOfOrder()) {
          LOG.warn("Starting backfill {} out of order: a higher version is already applied", descriptor);
        }
        tables.createIfAbsent(connection);
        options.listener().started(descriptor, Direction.UP);
        tables.startIfAbsent(connection, descriptor.version(), options.backfills().batchSize());
        LOG.info("Started backfill {}", descriptor);
      } else if (row.state() == BackfillState.CANCELLED) {
        throw new BackfillCancelledException(descriptor, tables.progress(connection, descriptor.version()));
      } else {
        LOG.info("Resuming backfill {} ({})", descriptor, row.state());
      }
      return true;
    } catch (SQLException e) {
      throw new DataMigrationException("Could not start backfill " + descriptor + ": " + e, e);
    }
  }

  /** Refuses to run a backfill whose health check says it cannot work on this database (not a transient state). */
  private void verifyHealthCheck(ConnectionSource.Lease lease, MigrationDescriptor descriptor) {
    try {
      options.backfills().healthCheck().verify(lease.handle());
    } catch (RuntimeException e) {
      throw new DataMigrationException(
          "Backfill " + descriptor + " was not run: its health check cannot work here: " + e.getMessage(), e);
    }
  }

  private Backfill backfill(Step step) {
    Migration instance = catalog.instantiate(step.entry());
    if (instance instanceof Backfill backfill) {
      return backfill;
    }
    throw new DataMigrationException(
        "Data migration " + step.descriptor() + " is described as a backfill but " + instance.getClass().getName()
            + " does not implement dev.datamigrations.runtime.Backfill; regenerate the registry");
  }

  /**
   * Runs a started backfill's workers in this process; called without the run lock. Counts the estimate first if
   * it is unknown: a {@code COUNT(*)} of a big table takes a while, and other runners must not wait for it.
   */
  private BackfillWorker.Outcome runBackfill(Step step) {
    Backfill backfill = backfill(step);
    Dialect dialect = dialect();
    BackfillTables tables = new BackfillTables(dialect, options.table());
    KeyRange keys = backfill.keys();
    try (Handle handle = source.jdbi().open()) {
      tables.estimate(handle.getConnection(), step.descriptor().version(), keys);
    } catch (SQLException e) {
      throw new DataMigrationException("Could not count the rows of backfill " + step.descriptor() + ": " + e, e);
    }
    BackfillWorker.Job job =
        new BackfillWorker.Job(
            step.descriptor(),
            backfill,
            keys,
            tables,
            new HistoryTable(dialect, options.table()),
            options.backfills(),
            options.listener(),
            options.operator(),
            options.reason(),
            () -> stopping);
    return BackfillRun.run(source.jdbi(), dialect, options.table(), options.lockTimeout(), job);
  }

  private void startBackground(String verb, Function<Planner, Plan> planning, Step first) {
    Thread thread =
        new Thread(
            () -> {
              try {
                withBackfills(verb + " (background)", planning, false);
              } catch (RuntimeException e) {
                if (stopping || e instanceof BackfillCancelledException) {
                  LOG.info("Background data migrations ({}) stopped: {}", verb, e.getMessage());
                } else {
                  LOG.error("Background data migrations ({}) failed: {}", verb, e.getMessage(), e);
                }
              }
            },
            "datamigrations-backfill-" + first.descriptor().version());
    thread.setDaemon(true);
    background.add(thread);
    thread.start();
  }

  /**
   * Works on one backfill in this process until it is done, cancelled or stopped, starting it first if it is
   * pending (in or out of order, like {@code up}).
   */
  public BackfillProgress work(long version) {
    CatalogIndex.Entry entry = catalog.get(version);
    if (entry == null) {
      throw new UnknownMigrationVersionException(
          "No data migration with version " + version + " in the code. Known versions: " + catalog.knownVersions()
              + ". Nothing was changed.");
    }
    requireBackfill(entry.descriptor());
    Phase phase = lockedPhase(planner -> planner.up(version), new ArrayList<>());
    if (phase.backfill() != null && !phase.finishedElsewhere()) {
      runBackfill(phase.backfill());
    }
    return progress(version)
        .orElseThrow(
            () ->
                new dev.datamigrations.runtime.BackfillStateException(
                    "Backfill " + entry.descriptor() + " is applied and has no progress left to work on."));
  }

  /** Returns the progress of a started backfill. */
  public Optional<BackfillProgress> progress(long version) {
    try (Handle handle = source.jdbi().open()) {
      Connection connection = handle.getConnection();
      BackfillTables tables = new BackfillTables(dialect(connection), options.table());
      return tables.exists(connection) ? Optional.ofNullable(tables.progress(connection, version)) : Optional.empty();
    } catch (SQLException e) {
      throw new DataMigrationException("Could not read the progress of backfill " + version + ": " + e, e);
    }
  }

  /** Sets a started backfill's state; {@code from} lists the states it may change from. */
  public BackfillProgress changeState(long version, String verb, BackfillState to, BackfillState... from) {
    CatalogIndex.Entry entry = catalog.get(version);
    if (entry != null) {
      requireBackfill(entry.descriptor());
    }
    try (Handle handle = source.jdbi().open()) {
      Connection connection = handle.getConnection();
      BackfillTables tables = new BackfillTables(dialect(connection), options.table());
      BackfillTables.Row row = tables.exists(connection) ? tables.read(connection, version, false) : null;
      if (row == null) {
        throw new dev.datamigrations.runtime.BackfillStateException(
            "Cannot " + verb + " backfill " + (entry == null ? version : entry.descriptor())
                + ": it has not started (migrate or work starts it). Nothing was changed.");
      }
      if (!tables.changeState(connection, version, to, from)) {
        BackfillTables.Row now = tables.read(connection, version, false);
        if (now.state() != to) {
          throw new dev.datamigrations.runtime.BackfillStateException(
              "Cannot " + verb + " backfill " + (entry == null ? version : entry.descriptor()) + ": it is "
                  + now.state().name().toLowerCase(java.util.Locale.ROOT) + ". Nothing was changed.");
        }
      }
      LOG.info("Backfill {}: {} ({})", version, verb, to);
      return tables.progress(connection, version);
    } catch (SQLException e) {
      throw new DataMigrationException("Could not " + verb + " backfill " + version + ": " + e, e);
    }
  }

  private static void requireBackfill(MigrationDescriptor descriptor) {
    if (!descriptor.backfill()) {
      throw new dev.datamigrations.runtime.BackfillStateException(
          "Data migration " + descriptor + " is not a backfill: it runs in one go with migrate or up.");
    }
  }

  /** Waits for the background threads started by detached runs; returns whether they all ended in time. */
  public boolean awaitBackground(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread thread : background) {
      long left = deadline - System.nanoTime();
      try {
        if (left <= 0) {
          return false;
        }
        thread.join(Math.max(1, left / 1_000_000));
        if (thread.isAlive()) {
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Asks background workers to stop after their current batch, and waits for them a little. */
  public void close() {
    stopping = true;
    awaitBackground(Duration.ofSeconds(30));
  }

  private Dialect dialect() {
    Dialect known = dialect;
    if (known == null) {
      try (Handle handle = source.jdbi().open()) {
        known = dialect(handle.getConnection());
      }
    }
    return known;
  }

  /**
   * Runs a verb that reverts data under the run lock: the history table (created if absent), one full read of it
   * (messages about removed migrations need its descriptions), the plan, and the steps.
   */
  private MigrateResult locked(String verb, Function<Planner, Plan> planning) {
    long start = System.nanoTime();
    List<MigrationExecution> completed = new ArrayList<>();
    try {
      return underRunLock(
          (lease, dialect, lock) -> {
            HistoryTable history = new HistoryTable(dialect, options.table());
            history.createIfAbsent(lease.connection());
            Plan plan = planning.apply(new Planner(catalog, history.read(lease.connection()), Map.of()));
            List<MigrationExecution> executed = runSteps(lease, lock, history, plan.steps(), completed);
            MigrateResult result =
                new MigrateResult(executed, plan.alreadyApplied(), Duration.ofNanos(System.nanoTime() - start));
            logSummary(verb, result);
            return result;
          });
    } catch (DataMigrationException e) {
      // Reverted and committed before a failure in releasing the connection or the lock: they stay reverted.
      throw logPartial(verb, e.addCompletedBefore(completed));
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
