package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.AppliedAs;
import dev.datamigrations.runtime.ChangedMigration;
import dev.datamigrations.runtime.ChangedMigrationsException;
import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.Direction;
import dev.datamigrations.runtime.DryRun;
import dev.datamigrations.runtime.MigrateResult;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationExecution;
import dev.datamigrations.runtime.MigrationListener;
import dev.datamigrations.runtime.MigrationProgress;
import dev.datamigrations.runtime.MigrationStatus;
import dev.datamigrations.runtime.OutOfOrderPolicy;
import dev.datamigrations.runtime.RunnerExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link dev.datamigrations.runtime.MigrationRunner} delegates to: opens the handles, takes
 * the lock, reads the history once, plans, runs, and logs the summary. A backfill step is handed to
 * the {@link BackfillHandler} at one point ({@link #phases}); the engine knows nothing else of
 * backfills.
 */
public final class RunnerEngine implements EngineContext {
  private static final Logger LOG =
      LoggerFactory.getLogger("dev.datamigrations.runtime.MigrationRunner");

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
      boolean validateOnMigrate) {}

  private final ConnectionSource source;
  private final CatalogIndex catalog;
  private final Options options;

  /** Whether the catalog lists a backfill: only then is there backfill progress to read. */
  private final boolean hasBackfills;

  private volatile Dialect dialect;

  /**
   * The layer that runs backfill steps; null while the catalog has none and no facade asked for it.
   */
  private volatile BackfillHandler backfills;

  /**
   * @param extension the backfill layer given to the builder, or null: then the default one is
   *     looked up with {@link ServiceLoader} if the catalog lists a backfill (a catalog without one
   *     never pays for the lookup)
   */
  public RunnerEngine(
      ConnectionSource source, CatalogIndex catalog, Options options, RunnerExtension extension) {
    this.source = source;
    this.catalog = catalog;
    this.options = options;
    this.hasBackfills = catalog.ascending().stream().anyMatch(e -> e.descriptor().backfill());
    if (extension != null) {
      this.backfills = extension.install(this);
    } else if (hasBackfills) {
      this.backfills = defaultExtension().install(this);
    }
  }

  /** Returns the default backfill layer, registered in {@code META-INF/services}. */
  private static RunnerExtension defaultExtension() {
    return ServiceLoader.load(RunnerExtension.class, RunnerEngine.class.getClassLoader())
        .findFirst()
        .orElseThrow(
            () ->
                new DataMigrationException(
                    "The catalog lists a backfill, but no backfill layer was found: the file"
                        + " META-INF/services/dev.datamigrations.runtime.RunnerExtension of datamigrations-runtime"
                        + " is missing from the class path (a shaded jar built without the shade plugin's"
                        + " ServicesResourceTransformer?). Merge service files, or pass"
                        + " BackfillSettings.defaults() to MigrationRunner.Builder#with."));
  }

  /**
   * Returns the installed backfill layer if it is a {@code type}, installing {@code fallback} first
   * if none is; for facades such as {@code Backfills.of(runner)}.
   */
  public synchronized <T> T extension(Class<T> type, RunnerExtension fallback) {
    if (backfills == null) {
      backfills = fallback.install(this);
    }
    if (!type.isInstance(backfills)) {
      throw new IllegalStateException(
          "This runner's backfill layer is a "
              + backfills.getClass().getName()
              + ", not a "
              + type.getName());
    }
    return type.cast(backfills);
  }

  @Override
  public ConnectionSource source() {
    return source;
  }

  @Override
  public TableName table() {
    return options.table();
  }

  @Override
  public Duration lockTimeout() {
    return options.lockTimeout();
  }

  @Override
  public MigrationListener listener() {
    return options.listener();
  }

  @Override
  public HistoryWriter historyWriter() {
    return new HistoryWriter(
        new HistoryTable(dialect(), options.table()), options.operator(), options.reason());
  }

  @Override
  public CatalogIndex catalog() {
    return catalog;
  }

  private BackfillHandler backfills() {
    BackfillHandler handler = backfills;
    if (handler == null) {
      // The catalog lists no backfill, so the planner never hands one over.
      throw new IllegalStateException(
          "no backfill layer is installed, yet a backfill step was planned");
    }
    return handler;
  }

  public MigrateResult migrate() {
    if (options.validateOnMigrate()) {
      List<ChangedMigration> changed = validate();
      if (!changed.isEmpty()) {
        throw new ChangedMigrationsException(changed);
      }
    }
    BackfillHandler handler = backfills;
    return withBackfills(
        "migrate",
        planner -> planner.migrate(options.outOfOrder()),
        handler != null && handler.detach());
  }

  public MigrateResult up(long version) {
    if (catalog.get(version) == null) {
      // Refused before anything changes; the message quotes the history's row of a removed version,
      // which the
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

  /** Returns the verbs run in a transaction that is always rolled back; see {@link DryRunner}. */
  public DryRun dryRun() {
    return new DryRunner(this);
  }

  Options options() {
    return options;
  }

  /** Returns the backfill layer, or null if none is installed (the catalog lists no backfill). */
  BackfillHandler backfillHandler() {
    return backfills;
  }

  /**
   * Reads without locking and without creating the history table: an absent table means nothing is
   * applied.
   */
  public List<MigrationStatus> status() {
    return readOnly(Planner::status);
  }

  public List<MigrationDescriptor> pending() {
    return readOnly(Planner::pending);
  }

  /** Returns the migrations that ran and changed since; reads only. */
  public List<ChangedMigration> validate() {
    return readOnly(Planner::changed);
  }

  public List<MigrationDescriptor> baseline(long version, String reason, boolean force) {
    List<MigrationDescriptor> marked =
        editingHistory(edits -> edits.baseline(version, reason, force));
    LOG.info(
        "Data migrations (baseline {}) on {}: marked {} applied without running them: {}",
        version,
        options.table(),
        marked.size(),
        HistoryEdits.versions(marked));
    return marked;
  }

  public void mark(long version, AppliedAs how, String reason, boolean force) {
    editingHistory(
        edits -> {
          edits.mark(version, how, reason, force);
          return null;
        });
    LOG.info(
        "Data migrations ({} {}) on {}: recorded without running it, because: {}",
        how == AppliedAs.SKIPPED ? "skip" : "mark-applied",
        version,
        options.table(),
        dev.datamigrations.runtime.Redaction.redact(reason));
  }

  public AppliedAs unmark(long version) {
    AppliedAs removed = editingHistory(edits -> edits.unmark(version));
    LOG.info(
        "Data migrations (unmark {}) on {}: removed its {} mark",
        version,
        options.table(),
        removed);
    return removed;
  }

  public boolean acceptChecksum(long version, String reason) {
    boolean accepted = editingHistory(edits -> edits.acceptChecksum(version, reason));
    LOG.info(
        "Data migrations (accept-checksum {}) on {}: {}",
        version,
        options.table(),
        accepted
            ? "accepted the code's checksum, because: "
                + dev.datamigrations.runtime.Redaction.redact(reason)
            : "already matched the code");
    return accepted;
  }

  /**
   * Runs a verb that writes the history by hand under the run lock: the table created or upgraded
   * if needed, then one full read of it and of the backfills' progress, the checks, the write.
   */
  private <T> T editingHistory(Function<HistoryEdits, T> edit) {
    return underRunLock(
        (lease, dialect, lock) -> {
          Connection connection = lease.connection();
          HistoryTable history = new HistoryTable(dialect, options.table());
          history.createIfAbsent(connection);
          history.upgradeIfNeeded(connection, options.lockTimeout());
          Map<Long, MigrationProgress> progress = Map.of();
          BackfillHandler handler = backfills;
          if (handler != null) {
            try {
              progress = handler.progress(connection, dialect);
            } catch (SQLException e) {
              throw new DataMigrationException(
                  "Could not read the backfill progress of " + options.table() + ": " + e, e);
            }
          }
          return edit.apply(
              new HistoryEdits(
                  catalog,
                  history.read(connection),
                  progress,
                  new HistoryWriter(history, options.operator(), null),
                  connection));
        });
  }

  /**
   * Returns what {@code assertNoPending} needs from one read: the migrations that have not started,
   * and the backfills that started and are not done.
   */
  public PendingWork pendingWork() {
    return readOnly(
        planner -> {
          List<MigrationDescriptor> pending = new ArrayList<>();
          List<MigrationDescriptor> running = new ArrayList<>();
          for (MigrationDescriptor descriptor : planner.pending()) {
            (planner.started(descriptor.version()) ? running : pending).add(descriptor);
          }
          return new PendingWork(pending, running);
        });
  }

  /**
   * Reads the history, and the backfill progress if the code has backfills, without locking or
   * creating.
   */
  private <T> T readOnly(Function<Planner, T> query) {
    // A lease, not a Jdbi handle: in auto-commit whatever the pool's default, and no Jdbi created
    // for a read.
    try (ConnectionSource.Lease lease = source.lease()) {
      Connection connection = lease.connection();
      Dialect dialect = dialect(connection);
      HistoryTable history = new HistoryTable(dialect, options.table());
      Map<Long, MigrationProgress> progress = Map.of();
      BackfillHandler handler = backfills;
      // A layer given (or installed by a facade) for a catalog without backfills has nothing to say
      // here: not even a metadata lookup of its tables.
      if (handler != null && hasBackfills) {
        try {
          progress = handler.progress(connection, dialect);
        } catch (SQLException e) {
          throw new DataMigrationException(
              "Could not read the backfill progress of " + options.table() + ": " + e, e);
        }
      }
      return query.apply(new Planner(catalog, history.readIfExists(connection), progress));
    }
  }

  // ----------------------------------------------------------------------------------------------
  // backfills

  /**
   * What a locked phase did: the plain migrations it ran, and the backfill it stopped at, started;
   * or, if {@code finishedElsewhere}, the backfill another run finished after this phase read the
   * history.
   */
  private record Phase(
      List<MigrationExecution> executed,
      int alreadyApplied,
      Step backfill,
      boolean finishedElsewhere) {}

  /**
   * Runs a verb that may meet backfills: a locked phase runs the plain migrations up to the first
   * backfill and starts that backfill; the backfill then runs without the run lock (its workers
   * coordinate through its tables), or is left to a background thread; then the next phase plans
   * again.
   */
  private MigrateResult withBackfills(
      String verb, Function<Planner, Plan> planning, boolean detach) {
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
          new DataMigrationException("Data migrations (" + verb + ") failed: " + e, e)
              .addCompletedBefore(executed));
    }
  }

  private DataMigrationException logPartial(String verb, DataMigrationException e) {
    if (!e.completedBefore().isEmpty()) {
      LOG.error(
          "Data migrations ({}) on {} stopped after {} completed, which stay so: {}",
          verb,
          options.table(),
          e.completedBefore().size(),
          e.completedBefore().stream().map(x -> x.migration().toString()).toList());
    }
    return e;
  }

  private MigrateResult phases(
      String verb,
      Function<Planner, Plan> planning,
      boolean detach,
      long start,
      List<MigrationExecution> executed) {
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
        // Every verb ends: a backfill that finished and is pending again (its history row deleted
        // meanwhile)
        // is not run in a loop.
        throw new DataMigrationException(
            "Backfill "
                + backfill
                + " finished but has no row in "
                + options.table()
                + " (deleted while it ran?);"
                + " stopped instead of running it again. Run again to run it from the start.");
      }
      if (detach) {
        backfills()
            .runInBackground(
                phase.backfill(), () -> withBackfills(verb + " (background)", planning, false));
        MigrateResult result =
            new MigrateResult(
                executed,
                alreadyApplied,
                Duration.ofNanos(System.nanoTime() - start),
                List.of(backfill));
        LOG.info(
            "Data migrations ({}) on {}: ran {}, left backfill {} running in the background",
            verb,
            options.table(),
            executed.size(),
            backfill);
        return result;
      }
      // The one point where the engine hands a backfill over: it returns when the backfill is done.
      MigrationExecution execution = backfills().run(phase.backfill());
      executed.add(execution);
      options.listener().succeeded(execution);
      lastDone = backfill.version();
    }
    MigrateResult result =
        new MigrateResult(
            executed, Math.max(0, alreadyApplied), Duration.ofNanos(System.nanoTime() - start));
    logSummary(verb, result);
    return result;
  }

  /**
   * Runs the plain steps before the first backfill under the run lock, and starts that backfill.
   */
  private Phase lockedPhase(Function<Planner, Plan> planning, List<MigrationExecution> completed) {
    return underRunLock(
        (lease, dialect, lock) -> {
          Connection connection = lease.connection();
          HistoryTable history = new HistoryTable(dialect, options.table());
          // migrate, up and work need only which versions are applied: the cheapest read of the
          // history.
          Plan plan =
              planning.apply(
                  new Planner(catalog, history.readVersionsCreatingIfAbsent(connection), Map.of()));
          List<Step> plain = new ArrayList<>();
          Step backfill = null;
          for (Step step : plan.steps()) {
            if (step.direction() == Direction.UP && step.descriptor().backfill()) {
              backfill = step;
              break;
            }
            plain.add(step);
          }
          if (!plain.isEmpty() || backfill != null) {
            // This run writes history rows: a table of an earlier release gains its new columns
            // first (one metadata read when it has them), under the run lock.
            history.upgradeIfNeeded(connection, options.lockTimeout());
          }
          List<MigrationExecution> executed = runSteps(lease, lock, history, plain, completed);
          boolean finishedElsewhere =
              backfill != null && !backfills().start(lease, dialect, history, backfill);
          return new Phase(executed, plan.alreadyApplied(), backfill, finishedElsewhere);
        });
  }

  /**
   * Runs {@code steps} on the lease's handle, made only now: a run with nothing to do never creates
   * one.
   */
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
            lease.handle(),
            lock,
            new HistoryWriter(history, options.operator(), options.reason()),
            catalog,
            options.listener(),
            backfills)) {
      ran = runner.runAll(steps);
      // Committed: a failure after this point (restoring the connection, releasing the lock)
      // reports them.
      completed.addAll(ran);
    }
    return ran;
  }

  /** Work done under the run lock, on the migrations' connection. */
  interface LockedWork<T> {
    T run(ConnectionSource.Lease lease, Dialect dialect, RunLock lock);
  }

  /**
   * Opens the connection that runs the migrations and takes the run lock for {@code work}. A lock
   * that needs a connection of its own (see {@link RunLock}) gets it within the lock timeout, so
   * that a pool with no second connection to give fails with the fix instead of hanging.
   */
  private <T> T underRunLock(LockedWork<T> work) {
    return underRunLock(work, true);
  }

  /**
   * Runs {@code work} under the run lock; unless {@code createTables}, the lock writes nothing and
   * may be not {@link RunLock#held() held} (a dry run where the lock table does not exist).
   */
  <T> T underRunLock(LockedWork<T> work, boolean createTables) {
    try (ConnectionSource.Lease lease = source.lease()) {
      Dialect dialect = dialect(lease.connection());
      try (RunLock lock =
          RunLock.acquire(
              dialect,
              lease.connection(),
              () ->
                  source.leaseWithin(
                      options.lockTimeout(),
                      "the run lock of "
                          + dialect
                          + " here is held by a transaction left open on a connection of"
                          + " its own, while the migrations commit on another."),
              options.table(),
              options.lockTimeout(),
              createTables)) {
        return work.run(lease, dialect, lock);
      }
    }
  }

  @Override
  public Optional<Step> startForWork(long version) {
    Phase phase = lockedPhase(planner -> planner.up(version), new ArrayList<>());
    return phase.backfill() == null || phase.finishedElsewhere()
        ? Optional.empty()
        : Optional.of(phase.backfill());
  }

  /**
   * Stops the backfill layer's background workers after their current batch, waiting for them a
   * little.
   */
  public void close() {
    BackfillHandler handler = backfills;
    if (handler != null) {
      handler.close();
    }
  }

  @Override
  public Dialect dialect() {
    Dialect known = dialect;
    if (known == null) {
      try (ConnectionSource.Lease lease = source.lease()) {
        known = dialect(lease.connection());
      }
    }
    return known;
  }

  /**
   * Runs a verb that reverts data under the run lock: the history table (created if absent), one
   * full read of it (messages about removed migrations need its descriptions), the plan, and the
   * steps.
   */
  private MigrateResult locked(String verb, Function<Planner, Plan> planning) {
    long start = System.nanoTime();
    List<MigrationExecution> completed = new ArrayList<>();
    try {
      return underRunLock(
          (lease, dialect, lock) -> {
            HistoryTable history = new HistoryTable(dialect, options.table());
            history.createIfAbsent(lease.connection());
            Plan plan =
                planning.apply(new Planner(catalog, history.read(lease.connection()), Map.of()));
            List<MigrationExecution> executed =
                runSteps(lease, lock, history, plan.steps(), completed);
            MigrateResult result =
                new MigrateResult(
                    executed, plan.alreadyApplied(), Duration.ofNanos(System.nanoTime() - start));
            logSummary(verb, result);
            return result;
          });
    } catch (DataMigrationException e) {
      // Reverted and committed before a failure in releasing the connection or the lock: they stay
      // reverted.
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
