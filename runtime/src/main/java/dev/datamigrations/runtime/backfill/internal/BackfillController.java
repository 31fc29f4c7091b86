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
import dev.datamigrations.runtime.backfill.BackfillFailedException;
import dev.datamigrations.runtime.backfill.BackfillInputException;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillQuery;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.BackfillStateException;
import dev.datamigrations.runtime.backfill.CsvBackfill;
import dev.datamigrations.runtime.backfill.KeyRange;
import dev.datamigrations.runtime.backfill.QueryBackfill;
import dev.datamigrations.runtime.internal.BackfillHandler;
import dev.datamigrations.runtime.internal.CatalogIndex;
import dev.datamigrations.runtime.internal.ConnectionSource;
import dev.datamigrations.runtime.internal.Dialect;
import dev.datamigrations.runtime.internal.EngineContext;
import dev.datamigrations.runtime.internal.HistoryTable;
import dev.datamigrations.runtime.internal.Step;
import dev.datamigrations.runtime.internal.TableName;
import java.nio.file.Path;
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

  /** CSV files read and checked when their backfill started, for its workers. */
  private final Map<Long, CsvFile> csvFiles = new java.util.concurrent.ConcurrentHashMap<>();

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
    } else if (outcome == BackfillWorker.Outcome.FAILED) {
      throw new BackfillFailedException(backfill, progress(backfill.version()).orElseThrow());
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
    Migration backfill = backfill(step);
    verifyHealthCheck(lease, descriptor);
    verifyDatabaseCanDo(lease, dialect, descriptor);
    try {
      boolean exists = tables.exists(connection);
      if (exists) {
        // Also completes tables an older version created, or a crash left half made.
        tables.createIfAbsent(connection);
      }
      BackfillTables.Row row = exists ? tables.read(connection, descriptor.version(), false) : null;
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
        // Before anything is written: a key that cannot be walked, or a CSV file that cannot be
        // read, is refused with the fix.
        CsvFile csv = checkSource(connection, dialect, descriptor, backfill);
        if (step.outOfOrder()) {
          LOG.warn(
              "Starting backfill {} out of order: a higher version is already applied", descriptor);
        }
        tables.createIfAbsent(connection);
        engine.listener().started(descriptor, Direction.UP);
        tables.startIfAbsent(connection, descriptor.version(), settings.batchSize());
        if (csv != null) {
          tables.recordInput(connection, descriptor.version(), input(csv));
        }
        LOG.info("Started backfill {}", descriptor);
      } else if (row.state() == BackfillState.CANCELLED) {
        throw new BackfillCancelledException(
            descriptor, tables.progress(connection, descriptor.version()));
      } else if (row.state() == BackfillState.FAILED) {
        throw new BackfillFailedException(
            descriptor, tables.progress(connection, descriptor.version()));
      } else {
        tables.createErrorsIfAbsent(connection);
        if (backfill instanceof CsvBackfill csvBackfill) {
          checkSameInput(connection, tables, descriptor, openCsv(descriptor, csvBackfill));
        }
        LOG.info("Resuming backfill {} ({})", descriptor, row.state());
      }
      return true;
    } catch (SQLException e) {
      throw new DataMigrationException("Could not start backfill " + descriptor + ": " + e, e);
    }
  }

  /**
   * Estimates a backfill for a dry run: refuses a cancelled one and, for one that would start from
   * its first key, a key that cannot be walked (or a CSV file that cannot be read), as {@link
   * #start} would; counts the walked rows (the table, filtered; the query's rows; the CSV file's
   * rows) as the estimate the real run starts from. Writes nothing.
   */
  @Override
  public BackfillEstimate estimate(Connection connection, Dialect dialect, Step step)
      throws SQLException {
    MigrationDescriptor descriptor = step.descriptor();
    BackfillTables tables = new BackfillTables(dialect, engine.table());
    Migration backfill = backfill(step);
    BackfillTables.Row row =
        tables.exists(connection) ? tables.read(connection, descriptor.version(), false) : null;
    long rowsDone = 0;
    if (row != null && row.state() == BackfillState.CANCELLED) {
      throw new BackfillCancelledException(
          descriptor, tables.progress(connection, descriptor.version()));
    } else if (row == null || row.state() == BackfillState.DONE) {
      // Not started, or done with its history row gone (start() then runs it again from the start).
      checkSource(connection, dialect, descriptor, backfill);
    } else {
      rowsDone = tables.progress(connection, descriptor.version()).rowsDone();
    }
    long count;
    if (backfill instanceof CsvBackfill csv) {
      CsvFile file = csvFiles.remove(descriptor.version());
      count = (file != null ? file : openCsv(descriptor, csv)).rows();
      csvFiles.remove(descriptor.version());
    } else {
      count = source(connection, dialect, step, backfill).count(connection);
    }
    return BackfillEstimate.of(count, rowsDone, settings.batchSize());
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

  /**
   * Refuses settings this database cannot honour: a batch timeout without a statement bound, a
   * throttle that cannot see who waits on the worker's locks (asked once here, so that a missing
   * privilege shows now, not at the first batch).
   */
  private void verifyDatabaseCanDo(
      ConnectionSource.Lease lease, Dialect dialect, MigrationDescriptor descriptor) {
    if (settings.batchTimeout().isPresent() && dialect.statementTimeoutSql(1000) == null) {
      throw new DataMigrationException(
          "Backfill "
              + descriptor
              + " was not run: BackfillSettings.batchTimeout is set, but "
              + dialect.displayName()
              + " has no statement timeout to enforce it. Remove batchTimeout (PostgreSQL, MySQL/MariaDB"
              + " and H2 have one).");
    }
    if (settings.throttle().isEmpty()) {
      return;
    }
    String sql = dialect.sessionsWaitingOnThisOneSql();
    if (sql == null) {
      throw new DataMigrationException(
          "Backfill "
              + descriptor
              + " was not run: BackfillSettings.throttle is set, but "
              + dialect.displayName()
              + " cannot tell which sessions wait on a worker's locks. Remove throttle (PostgreSQL"
              + " can).");
    }
    try (java.sql.Statement statement = lease.connection().createStatement();
        java.sql.ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
    } catch (SQLException e) {
      throw new DataMigrationException(
          "Backfill "
              + descriptor
              + " was not run: its throttle cannot see lock waits here ("
              + e.getMessage()
              + ").",
          e);
    }
  }

  private Migration backfill(Step step) {
    Migration instance = engine.catalog().instantiate(step.entry());
    if (instance instanceof Backfill
        || instance instanceof QueryBackfill
        || instance instanceof CsvBackfill) {
      return instance;
    }
    throw new DataMigrationException(
        "Data migration "
            + step.descriptor()
            + " is described as a backfill but "
            + instance.getClass().getName()
            + " implements none of "
            + Backfill.class.getName()
            + ", QueryBackfill, CsvBackfill; regenerate the registry (mvn clean compile)");
  }

  /**
   * Checks what a backfill walks before it starts: a table's key ({@link KeyColumnCheck}), a
   * query's key columns ({@link QueryKeyCheck}), or a CSV file (read whole, returned).
   */
  private CsvFile checkSource(
      Connection connection, Dialect dialect, MigrationDescriptor descriptor, Migration backfill)
      throws SQLException {
    if (backfill instanceof Backfill table) {
      KeyColumnCheck.check(connection, dialect, descriptor, table.keys());
    } else if (backfill instanceof QueryBackfill query) {
      QueryKeyCheck.check(
          connection, dialect.hasUuidType(), descriptor, query.query(), KeyColumnCheck.NOT_STARTED);
    } else if (backfill instanceof CsvBackfill csv) {
      return openCsv(descriptor, csv);
    }
    return null;
  }

  /** Reads and checks the CSV file given to {@code backfill}, and keeps it for its workers. */
  private CsvFile openCsv(MigrationDescriptor descriptor, CsvBackfill backfill) {
    Path path =
        settings
            .csvFile(descriptor.version())
            .orElseThrow(
                () ->
                    new BackfillInputException(
                        descriptor,
                        "Backfill "
                            + descriptor
                            + " is a CsvBackfill and was given no CSV file. Give it one with"
                            + " BackfillSettings.builder().csvFile("
                            + descriptor.version()
                            + "L, path), or on the command line with --csv "
                            + descriptor.version()
                            + "=FILE (work "
                            + descriptor.version()
                            + " --csv FILE). Nothing was run."));
    CsvFile file;
    try {
      file = CsvFile.open(path, backfill.hasHeader());
    } catch (CsvFile.CsvException e) {
      throw new BackfillInputException(
          descriptor,
          "Backfill "
              + descriptor
              + " cannot use the CSV file "
              + path
              + ": "
              + e.getMessage()
              + ". Fix the file (RFC 4180, UTF-8) and run it again. Nothing was run.");
    }
    csvFiles.put(descriptor.version(), file);
    return file;
  }

  private static BackfillTables.Input input(CsvFile file) {
    return new BackfillTables.Input(file.sha256(), file.path().toString());
  }

  /** Refuses a CSV backfill resumed with another file than the one it started with. */
  private static void checkSameInput(
      Connection connection, BackfillTables tables, MigrationDescriptor descriptor, CsvFile file)
      throws SQLException {
    BackfillTables.Input started = tables.readInput(connection, descriptor.version());
    if (started.sha256() == null) {
      // Started, but stopped before its file was recorded: no batch ran yet.
      tables.recordInput(connection, descriptor.version(), input(file));
    } else if (!started.sha256().equals(file.sha256())) {
      throw new BackfillInputException(
          descriptor,
          "Backfill "
              + descriptor
              + " started with the CSV file "
              + started.name()
              + " (SHA-256 "
              + started.sha256()
              + ") and was now given "
              + file.path()
              + " (SHA-256 "
              + file.sha256()
              + "): another file, or the same one changed, so its row numbers would mean other"
              + " rows. Resume it with the file it started with. Nothing was run.");
    }
  }

  /** Returns what a started backfill walks, its keys checked again (metadata only). */
  private BatchSource source(Connection connection, Dialect dialect, Step step, Migration backfill)
      throws SQLException {
    MigrationDescriptor descriptor = step.descriptor();
    if (backfill instanceof Backfill table) {
      KeyRange keys = table.keys();
      List<KeyType> types =
          KeyColumnCheck.check(connection, dialect, descriptor, keys, KeyColumnCheck.NOT_RESUMED);
      return new KeysetSource(
          descriptor,
          new TableName(keys.schema(), keys.table()).sql(dialect),
          "table " + keys.table(),
          new KeySql(
              quoted(dialect, keys.keyColumns()), types, dialect.supportsRowValueComparison()),
          keys.filter(),
          false,
          table::process,
          keys);
    }
    if (backfill instanceof QueryBackfill query) {
      BackfillQuery sql = query.query();
      List<KeyType> types =
          QueryKeyCheck.check(
              connection, dialect.hasUuidType(), descriptor, sql, KeyColumnCheck.NOT_RESUMED);
      return new KeysetSource(
          descriptor,
          QueryKeyCheck.relation(sql),
          "its query",
          new KeySql(
              quoted(dialect, sql.keyColumns()), types, dialect.supportsRowValueComparison()),
          null,
          true,
          query::process,
          null);
    }
    CsvBackfill csv = (CsvBackfill) backfill;
    CsvFile file = csvFiles.remove(descriptor.version());
    if (file == null) {
      file = openCsv(descriptor, csv);
      csvFiles.remove(descriptor.version());
      checkSameInput(connection, new BackfillTables(dialect, engine.table()), descriptor, file);
    }
    return new CsvSource(csv, file);
  }

  private static List<String> quoted(Dialect dialect, List<String> columns) {
    return columns.stream().map(dialect::quote).toList();
  }

  /**
   * Runs a started backfill's workers in this process; called without the run lock. Counts the
   * estimate first if it is unknown: a {@code COUNT(*)} of a big table takes a while, and other
   * runners must not wait for it.
   */
  private BackfillWorker.Outcome runBackfill(Step step) {
    Migration backfill = backfill(step);
    Dialect dialect = engine.dialect();
    BackfillTables tables = new BackfillTables(dialect, engine.table());
    BatchSource source;
    try (Handle handle = engine.source().jdbi().open()) {
      source = source(handle.getConnection(), dialect, step, backfill);
      tables.estimate(handle.getConnection(), step.descriptor().version(), source);
    } catch (SQLException e) {
      throw new DataMigrationException(
          "Could not count the rows of backfill " + step.descriptor() + ": " + e, e);
    }
    BackfillWorker.Job job =
        new BackfillWorker.Job(
            step.descriptor(),
            source,
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
      if (!changeState(connection, tables, control, version)) {
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

  /**
   * Applies {@code control}; a resume also clears the failed attempts of the backfill's batches, in
   * the same transaction, so that a failed backfill's batches get all their attempts again.
   */
  private static boolean changeState(
      Connection connection, BackfillTables tables, BackfillControl control, long version)
      throws SQLException {
    if (control != BackfillControl.RESUME) {
      return tables.changeState(connection, version, control.target(), control.from());
    }
    connection.setAutoCommit(false);
    try {
      boolean changed = tables.changeState(connection, version, control.target(), control.from());
      if (changed) {
        tables.clearFailures(connection, version);
      }
      connection.commit();
      return changed;
    } finally {
      if (!connection.getAutoCommit()) {
        connection.rollback();
        connection.setAutoCommit(true);
      }
    }
  }

  /**
   * Runs what is left of backfill {@code version} in this process until it is done: starts it if
   * pending, resumes it if paused (a deploy that needs it done means now), joins its other workers
   * if running. Refuses a cancelled or failed one, which an operator stopped or which needs a fix
   * first.
   *
   * @throws BackfillCancelledException if it is or gets cancelled
   * @throws BackfillFailedException if it has failed or fails now
   */
  public void ensureFinished(long version) {
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
    MigrationDescriptor descriptor = entry.descriptor();
    requireBackfill(descriptor);
    Optional<BackfillProgress> before = progress(version);
    if (before.isPresent() && before.get().state() == BackfillState.PAUSED) {
      LOG.warn("Backfill {} is paused; finishing it now resumes it", descriptor);
      control(BackfillControl.RESUME, version);
    }
    Optional<Step> step = engine.startForWork(version);
    if (step.isEmpty()) {
      LOG.info("Backfill {} is finished", descriptor);
      return;
    }
    BackfillWorker.Outcome outcome = runBackfill(step.get());
    BackfillProgress after = progress(version).orElseThrow();
    switch (outcome) {
      case DONE -> LOG.info("Backfill {} is finished: {}", descriptor, after);
      case CANCELLED -> throw new BackfillCancelledException(descriptor, after);
      case FAILED -> throw new BackfillFailedException(descriptor, after);
      case STOPPED ->
          throw new DataMigrationException(
              "Backfill "
                  + descriptor
                  + " was not finished: it was stopped (the runner was closed or the thread"
                  + " interrupted) at "
                  + after
                  + "; it resumes where it stopped on the next run");
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
