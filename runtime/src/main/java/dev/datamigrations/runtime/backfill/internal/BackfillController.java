package dev.datamigrations.runtime.backfill.internal;

import dev.datamigrations.runtime.BackfillEstimate;
import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.Direction;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationExecution;
import dev.datamigrations.runtime.MigrationProgress;
import dev.datamigrations.runtime.UnknownMigrationVersionException;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.BackfillCancelledException;
import dev.datamigrations.runtime.backfill.BackfillControl;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.BackfillStateException;
import dev.datamigrations.runtime.backfill.KeyRange;
import dev.datamigrations.runtime.internal.BackfillHandler;
import dev.datamigrations.runtime.internal.CatalogIndex;
import dev.datamigrations.runtime.internal.ConnectionSource;
import dev.datamigrations.runtime.internal.Dialect;
import dev.datamigrations.runtime.internal.EngineContext;
import dev.datamigrations.runtime.internal.HistoryTable;
import dev.datamigrations.runtime.internal.Step;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backfill layer of one runner, the one {@link BackfillHandler} the engine calls: starts a
 * backfill under the run lock, runs its workers without it, in the caller's thread or a background
 * one, and pauses, resumes, cancels and reports it ({@link
 * dev.datamigrations.runtime.backfill.Backfills}).
 */
public final class BackfillController implements BackfillHandler {
  private static final Logger LOG =
      LoggerFactory.getLogger("dev.datamigrations.runtime.MigrationRunner");

  private final EngineContext engine;
  private final BackfillSettings settings;
  private final List<Thread> background = new CopyOnWriteArrayList<>();
  private final Map<Long, AtomicInteger> batchesInFlight = new ConcurrentHashMap<>();
  private volatile boolean stopping;

  public BackfillController(EngineContext engine, BackfillSettings settings) {
    this.engine = engine;
    this.settings = settings;
  }

  @Override
  public MigrationExecution run(Step step) {
    MigrationDescriptor backfill = step.descriptor();
    long start = System.nanoTime();
    BackfillWorker.Outcome outcome = runBackfill(step);
    if (outcome == BackfillWorker.Outcome.CANCELLED) {
      throw new BackfillCancelledException(backfill, progress(backfill.version()).orElseThrow());
    } else if (outcome == BackfillWorker.Outcome.STOPPED) {
      throw new DataMigrationException(
          "Backfill "
              + backfill
              + " was stopped (the runner was closed or the thread interrupted); it resumes"
              + " where it stopped on the next run");
    }
    return new MigrationExecution(
        backfill, Direction.UP, Duration.ofNanos(System.nanoTime() - start));
  }

  @Override
  public boolean detach() {
    return settings.detach();
  }

  @Override
  public Map<Long, MigrationProgress> progress(Connection connection, Dialect dialect)
      throws SQLException {
    return new HashMap<>(new BackfillTables(dialect, engine.table()).readAllProgress(connection));
  }

  @Override
  public void forget(Connection connection, Dialect dialect, long version) throws SQLException {
    new BackfillTables(dialect, engine.table()).delete(connection, version);
  }

  /**
   * Starts the backfill of {@code step} under the run lock, or resumes it: asks the health check
   * whether it can work here, then, for a backfill that has not started, checks its key column and
   * writes its progress row (creating the backfill tables if absent). Refuses a cancelled one.
   * Reads no row of the walked table: the estimate is counted later, outside the run lock ({@link
   * #runBackfill}).
   *
   * <p>The planner runs a backfill only when it had no history row. A progress row that says DONE
   * then is either fresh or stale. Fresh: another run's workers (which hold no run lock where
   * batches are shared) finished it after this run read the history; its DONE and its history row
   * commit together, so the history row is there now, and nothing is done here. Stale (the history
   * row was deleted by hand to run it again, or a crash hit a {@code down} of an older version
   * between its steps): its progress and batches are forgotten in one transaction and it starts
   * again from the start.
   *
   * @return false if another run finished the backfill meanwhile, true if it is started or resumed
   */
  @Override
  public boolean start(
      ConnectionSource.Lease lease, Dialect dialect, HistoryTable history, Step step) {
    MigrationDescriptor descriptor = step.descriptor();
    Connection connection = lease.connection();
    BackfillTables tables = new BackfillTables(dialect, engine.table());
    Backfill backfill = backfill(step);
    verifyHealthCheck(lease, descriptor);
    try {
      BackfillTables.Row row =
          tables.exists(connection) ? tables.read(connection, descriptor.version(), false) : null;
      if (row != null
          && row.state() == BackfillState.DONE
          && history.contains(connection, descriptor.version())) {
        LOG.info("Backfill {} was finished by another run meanwhile", descriptor);
        return false;
      }
      if (row != null && row.state() == BackfillState.DONE) {
        LOG.warn(
            "Backfill {} is marked done in {} but has no history row (deleted to run it again, or a down that did"
                + " not finish): forgetting its {} batches and running it again from the start",
            descriptor,
            engine.table().progressTable(),
            row.batchesPlanned());
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
          LOG.warn(
              "Starting backfill {} out of order: a higher version is already applied", descriptor);
        }
        tables.createIfAbsent(connection);
        engine.listener().started(descriptor, Direction.UP);
        tables.startIfAbsent(connection, descriptor.version(), settings.batchSize());
        LOG.info("Started backfill {}", descriptor);
      } else if (row.state() == BackfillState.CANCELLED) {
        throw new BackfillCancelledException(
            descriptor, tables.progress(connection, descriptor.version()));
      } else {
        LOG.info("Resuming backfill {} ({})", descriptor, row.state());
      }
      return true;
    } catch (SQLException e) {
      throw new DataMigrationException("Could not start backfill " + descriptor + ": " + e, e);
    }
  }

  /**
   * Estimates a backfill for a dry run: refuses a cancelled one and, for one that would start from
   * its first key, a key column that cannot be walked, as {@link #start} would; counts the walked
   * table as the estimate the real run starts from. Writes nothing.
   */
  @Override
  public BackfillEstimate estimate(Connection connection, Dialect dialect, Step step)
      throws SQLException {
    MigrationDescriptor descriptor = step.descriptor();
    BackfillTables tables = new BackfillTables(dialect, engine.table());
    Backfill backfill = backfill(step);
    KeyRange keys = backfill.keys();
    BackfillTables.Row row =
        tables.exists(connection) ? tables.read(connection, descriptor.version(), false) : null;
    long rowsDone = 0;
    if (row != null && row.state() == BackfillState.CANCELLED) {
      throw new BackfillCancelledException(
          descriptor, tables.progress(connection, descriptor.version()));
    } else if (row == null || row.state() == BackfillState.DONE) {
      // Not started, or done with its history row gone (start() then runs it again from the start).
      KeyColumnCheck.check(connection, dialect, descriptor, keys);
    } else {
      rowsDone = tables.progress(connection, descriptor.version()).rowsDone();
    }
    return BackfillEstimate.of(tables.count(connection, keys), rowsDone, settings.batchSize());
  }

  /**
   * Refuses to run a backfill whose health check says it cannot work on this database (not a
   * transient state).
   */
  private void verifyHealthCheck(ConnectionSource.Lease lease, MigrationDescriptor descriptor) {
    try {
      settings.healthCheck().verify(lease.handle());
    } catch (RuntimeException e) {
      throw new DataMigrationException(
          "Backfill "
              + descriptor
              + " was not run: its health check cannot work here: "
              + e.getMessage(),
          e);
    }
  }

  private Backfill backfill(Step step) {
    Migration instance = engine.catalog().instantiate(step.entry());
    if (instance instanceof Backfill backfill) {
      return backfill;
    }
    throw new DataMigrationException(
        "Data migration "
            + step.descriptor()
            + " is described as a backfill but "
            + instance.getClass().getName()
            + " does not implement "
            + Backfill.class.getName()
            + "; regenerate the registry (mvn clean compile)");
  }

  /**
   * Runs a started backfill's workers in this process; called without the run lock. Counts the
   * estimate first if it is unknown: a {@code COUNT(*)} of a big table takes a while, and other
   * runners must not wait for it.
   */
  private BackfillWorker.Outcome runBackfill(Step step) {
    Backfill backfill = backfill(step);
    Dialect dialect = engine.dialect();
    BackfillTables tables = new BackfillTables(dialect, engine.table());
    KeyRange keys = backfill.keys();
    try (Handle handle = engine.source().jdbi().open()) {
      tables.estimate(handle.getConnection(), step.descriptor().version(), keys);
    } catch (SQLException e) {
      throw new DataMigrationException(
          "Could not count the rows of backfill " + step.descriptor() + ": " + e, e);
    }
    BackfillWorker.Job job =
        new BackfillWorker.Job(
            step.descriptor(),
            backfill,
            keys,
            tables,
            engine.historyWriter(),
            settings,
            engine.listener(),
            () -> stopping,
            batchesInFlight.computeIfAbsent(
                step.descriptor().version(), version -> new AtomicInteger()));
    return BackfillRun.run(
        engine.source().jdbi(), dialect, engine.table(), engine.lockTimeout(), job);
  }

  @Override
  public void runInBackground(Step step, Runnable rest) {
    Thread thread =
        new Thread(
            () -> {
              try {
                rest.run();
              } catch (RuntimeException e) {
                if (stopping || e instanceof BackfillCancelledException) {
                  LOG.info("Background data migrations stopped: {}", e.getMessage());
                } else {
                  LOG.error("Background data migrations failed: {}", e.getMessage(), e);
                }
              }
            },
            "datamigrations-backfill-" + step.descriptor().version());
    thread.setDaemon(true);
    background.add(thread);
    thread.start();
  }

  /**
   * Works on one backfill in this process until it is done, cancelled or stopped, starting it first
   * if it is pending (in or out of order, like {@code up}).
   */
  public BackfillProgress work(long version) {
    CatalogIndex.Entry entry = engine.catalog().get(version);
    if (entry == null) {
      throw new UnknownMigrationVersionException(
          "No data migration with version "
              + version
              + " in the code. Known versions: "
              + engine.catalog().knownVersions()
              + ". Nothing was changed.",
          version,
          engine.catalog().versions());
    }
    requireBackfill(entry.descriptor());
    engine.startForWork(version).ifPresent(this::runBackfill);
    return progress(version)
        .orElseThrow(
            () ->
                new BackfillStateException(
                    "Backfill "
                        + entry.descriptor()
                        + " is applied and has no progress left to work on."));
  }

  /** Returns the progress of a started backfill. */
  public Optional<BackfillProgress> progress(long version) {
    try (Handle handle = engine.source().jdbi().open()) {
      Connection connection = handle.getConnection();
      BackfillTables tables = new BackfillTables(engine.dialect(), engine.table());
      return tables.exists(connection)
          ? Optional.ofNullable(tables.progress(connection, version))
          : Optional.empty();
    } catch (SQLException e) {
      throw new DataMigrationException(
          "Could not read the progress of backfill " + version + ": " + e, e);
    }
  }

  /** Returns how many batches of {@code version} this runner's workers are processing now. */
  public int batchesInFlight(long version) {
    AtomicInteger count = batchesInFlight.get(version);
    return count == null ? 0 : count.get();
  }

  /** Sets a started backfill's state; {@code from} lists the states it may change from. */
  public BackfillProgress control(BackfillControl control, long version) {
    String verb = control.verb();
    CatalogIndex.Entry entry = engine.catalog().get(version);
    if (entry != null) {
      requireBackfill(entry.descriptor());
    }
    try (Handle handle = engine.source().jdbi().open()) {
      Connection connection = handle.getConnection();
      BackfillTables tables = new BackfillTables(engine.dialect(), engine.table());
      BackfillTables.Row row =
          tables.exists(connection) ? tables.read(connection, version, false) : null;
      if (row == null) {
        throw new BackfillStateException(
            "Cannot "
                + verb
                + " backfill "
                + (entry == null ? version : entry.descriptor())
                + ": it has not started (migrate or work starts it). Nothing was changed.");
      }
      if (!tables.changeState(connection, version, control.target(), control.from())) {
        BackfillTables.Row now = tables.read(connection, version, false);
        if (now.state() != control.target()) {
          throw new BackfillStateException(
              "Cannot "
                  + verb
                  + " backfill "
                  + (entry == null ? version : entry.descriptor())
                  + ": it is "
                  + now.state().name().toLowerCase(java.util.Locale.ROOT)
                  + ". Nothing was changed.");
        }
      }
      LOG.info("Backfill {}: {} ({})", version, verb, control.target());
      return tables.progress(connection, version);
    } catch (SQLException e) {
      throw new DataMigrationException("Could not " + verb + " backfill " + version + ": " + e, e);
    }
  }

  private static void requireBackfill(MigrationDescriptor descriptor) {
    if (!descriptor.backfill()) {
      throw new BackfillStateException(
          "Data migration "
              + descriptor
              + " is not a backfill: it runs in one go with migrate or up.");
    }
  }

  @Override
  public boolean awaitBackground(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread thread : background) {
      if (!thread.isAlive()) {
        continue; // ended: nothing to wait for, whatever the time left (Duration.ZERO asks)
      }
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

  @Override
  public void close() {
    stopping = true;
    awaitBackground(Duration.ofSeconds(30));
  }
}
