package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.RunnerExtension;
import dev.datamigrations.runtime.backfill.internal.BackfillController;
import dev.datamigrations.runtime.internal.BackfillHandler;
import dev.datamigrations.runtime.internal.EngineContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a runner's backfills run; immutable. Give them to the runner as its backfill layer:
 *
 * <pre>{@code
 * MigrationRunner runner = MigrationRunner.configure(dataSource, MigrationRegistry.catalog())
 *     .with(BackfillSettings.builder().batchSize(2_000).workers(4).detach(true).build())
 *     .build();
 * }</pre>
 *
 * <p>A runner given none runs its backfills with {@link #defaults()}.
 */
public final class BackfillSettings implements RunnerExtension {
  private static final BackfillSettings DEFAULTS = builder().build();

  private final int batchSize;
  private final BatchTuning tuning;
  private final Duration pauseBetweenBatches;
  private final HealthCheck healthCheck;
  private final Duration maxBackoff;
  private final int workers;
  private final Duration progressInterval;
  private final Duration pollInterval;
  private final boolean detach;
  private final BackfillListener listener;
  private final Map<Long, Path> csvFiles;
  private final int maxAttempts;
  private final Duration retryBackoff;
  private final int failureWindow;
  private final Duration batchTimeout;
  private final int subBatchSize;
  private final LockWaitThrottle throttle;
  private final double busyPause;
  private final boolean durableBatchCommits;

  private BackfillSettings(Builder builder) {
    this.batchSize = builder.batchSize;
    this.tuning = builder.tuning;
    this.pauseBetweenBatches = builder.pauseBetweenBatches;
    this.healthCheck = builder.healthCheck;
    this.maxBackoff = builder.maxBackoff;
    this.workers = builder.workers;
    this.progressInterval = builder.progressInterval;
    this.pollInterval = builder.pollInterval;
    this.detach = builder.detach;
    this.listener = builder.listener;
    this.csvFiles = Map.copyOf(builder.csvFiles);
    this.maxAttempts = builder.maxAttempts;
    this.retryBackoff = builder.retryBackoff;
    this.failureWindow = builder.failureWindow;
    this.batchTimeout = builder.batchTimeout;
    this.subBatchSize = builder.subBatchSize;
    this.throttle = builder.throttle;
    this.busyPause = builder.busyPause;
    this.durableBatchCommits = builder.durableBatchCommits;
  }

  /**
   * Returns the defaults: batches of 5000 keys, no tuning, no fixed pause, no health check, one
   * worker, attached; on PostgreSQL, a pause after each batch twice as long as the batch while
   * other sessions are busy ({@link Builder#busyPause}) and batch commits that do not wait for the
   * disk ({@link Builder#durableBatchCommits}).
   */
  public static BackfillSettings defaults() {
    return DEFAULTS;
  }

  /** Returns a builder that starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from these settings. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.batchSize = batchSize;
    builder.tuning = tuning;
    builder.pauseBetweenBatches = pauseBetweenBatches;
    builder.healthCheck = healthCheck;
    builder.maxBackoff = maxBackoff;
    builder.workers = workers;
    builder.progressInterval = progressInterval;
    builder.pollInterval = pollInterval;
    builder.detach = detach;
    builder.listener = listener;
    builder.csvFiles.putAll(csvFiles);
    builder.maxAttempts = maxAttempts;
    builder.retryBackoff = retryBackoff;
    builder.failureWindow = failureWindow;
    builder.batchTimeout = batchTimeout;
    builder.subBatchSize = subBatchSize;
    builder.throttle = throttle;
    builder.busyPause = busyPause;
    builder.durableBatchCommits = durableBatchCommits;
    return builder;
  }

  /** Returns the number of keys per batch, the first size when tuning is on. */
  public int batchSize() {
    return batchSize;
  }

  /** Returns the tuner of the batch size, empty for a fixed size. */
  public Optional<BatchTuning> tuning() {
    return Optional.ofNullable(tuning);
  }

  /** Returns each worker's pause between two batches. */
  public Duration pauseBetweenBatches() {
    return pauseBetweenBatches;
  }

  /** Returns the check asked before each batch. */
  public HealthCheck healthCheck() {
    return healthCheck;
  }

  /** Returns the longest wait between two health checks while the database is unhealthy. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** Returns the worker threads per process (1 on databases without {@code SKIP LOCKED}). */
  public int workers() {
    return workers;
  }

  /** Returns how often progress is logged and given to the listener. */
  public Duration progressInterval() {
    return progressInterval;
  }

  /** Returns how often a waiting worker (paused backfill, batches held by others) looks again. */
  public Duration pollInterval() {
    return pollInterval;
  }

  /**
   * Returns whether {@code migrate} leaves a backfill, and the versions after it, to a background
   * thread.
   */
  public boolean detach() {
    return detach;
  }

  /** Returns the listener of progress and back-offs. */
  public BackfillListener listener() {
    return listener;
  }

  /** Returns the CSV file given to {@link CsvBackfill} {@code version}, if one was. */
  public Optional<Path> csvFile(long version) {
    return Optional.ofNullable(csvFiles.get(version));
  }

  /** Returns how many times a failing batch is attempted before the backfill fails. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Returns the wait before a failed batch's second attempt; it doubles for each attempt after, up
   * to {@link #maxBackoff()}.
   */
  public Duration retryBackoff() {
    return retryBackoff;
  }

  /**
   * Returns how many of the backfill's latest batch attempts, in every process, are looked at: once
   * more than half of them failed, the backfill fails, whatever attempts its batches have left.
   */
  public int failureWindow() {
    return failureWindow;
  }

  /** Returns the bound on every statement of a batch's transaction, empty for none. */
  public Optional<Duration> batchTimeout() {
    return Optional.ofNullable(batchTimeout);
  }

  /** Returns the keys per sub-batch, 0 when batches are not split into sub-batches. */
  public int subBatchSize() {
    return subBatchSize;
  }

  /** Returns the throttle that yields to sessions waiting on the worker's locks, if on. */
  public Optional<LockWaitThrottle> throttle() {
    return Optional.ofNullable(throttle);
  }

  /**
   * Returns the multiple of a batch's duration that a worker pauses after it while other sessions
   * are busy (PostgreSQL), 0 for never.
   */
  public double busyPause() {
    return busyPause;
  }

  /** Returns whether each batch's commit waits until it is on disk (PostgreSQL). */
  public boolean durableBatchCommits() {
    return durableBatchCommits;
  }

  /** Engine-facing: returns the controller of this runner's backfills. */
  @Override
  public BackfillHandler install(EngineContext engine) {
    return new BackfillController(engine, this);
  }

  /** Collects backfill settings; every one has a default. */
  public static final class Builder {
    private int batchSize = 5000;
    private BatchTuning tuning;
    private Duration pauseBetweenBatches = Duration.ZERO;
    private HealthCheck healthCheck = HealthCheck.none();
    private Duration maxBackoff = Duration.ofMinutes(1);
    private int workers = 1;
    private Duration progressInterval = Duration.ofSeconds(10);
    private Duration pollInterval = Duration.ofSeconds(1);
    private boolean detach;
    private BackfillListener listener = new BackfillListener() {};
    private final Map<Long, Path> csvFiles = new HashMap<>();
    private int maxAttempts = 3;
    private Duration retryBackoff = Duration.ofSeconds(2);
    private int failureWindow = 20;
    private Duration batchTimeout;
    private int subBatchSize;
    private LockWaitThrottle throttle;
    private double busyPause = 2.0;
    private boolean durableBatchCommits;

    private Builder() {}

    /**
     * Sets how a worker shares the database with the application (PostgreSQL; default 2.0): after
     * each batch it asks (at most every 100 ms) whether another session of its database is busy,
     * running a statement or holding a transaction open ({@code pg_stat_activity}, the backfill's
     * own workers not counted), and if one is, it pauses for {@code multiple} times the batch's
     * duration. 2.0 leaves the database to the application two thirds of the time while it is busy,
     * 1.0 half of it, 6.0 six sevenths; 0 turns it off. An idle database costs nothing: the
     * backfill then runs at full speed. The pause holds no batch ({@link Backfills#batchesInFlight}
     * does not count it) and no transaction, and ends early once the backfill is paused, cancelled
     * or failed (its state is read every {@link #pollInterval}) or the runner closes; a failed
     * count or a listener that throws pauses nothing and fails no batch.
     *
     * <p>The count sees other roles' sessions only with {@code pg_monitor} (or {@code
     * pg_read_all_stats}, or as superuser); without it, only sessions of the backfill's own role
     * count, which is usually the application's. Elsewhere it is not asked: use {@link
     * #pauseBetweenBatches} or a {@link HealthCheck}.
     */
    public Builder busyPause(double multiple) {
      if (!(multiple >= 0) || Double.isInfinite(multiple)) {
        throw new IllegalArgumentException(
            "busyPause must be a finite multiple of at least 0, was " + multiple);
      }
      this.busyPause = multiple;
      return this;
    }

    /**
     * Makes each batch's commit wait until the database has written it to disk (PostgreSQL; default
     * false). By default a batch's transaction commits with {@code synchronous_commit = off}, local
     * to that transaction: the commit returns before its write-ahead log is flushed, which saves a
     * disk flush per batch (the transactions that hand out key ranges commit the same way). A crash
     * of the database server (not of the backfill) can then lose the last batches committed in the
     * fraction of a second before it; each is lost whole, its rows and its done mark together, so
     * the backfill runs it again and every row is still changed exactly once. A batch's
     * non-transactional side effects (a message sent, a file written) may then happen twice: set
     * this to true if they must not. The backfill's history row, pause, resume and cancel are
     * always durable commits.
     */
    public Builder durableBatchCommits(boolean durable) {
      this.durableBatchCommits = durable;
      return this;
    }

    /**
     * Sets how many times a batch that throws is attempted (default 3; 1 = never retried). Each
     * failed attempt rolls back and is recorded ({@link BackfillProgress#recentFailures()}); the
     * batch is attempted again after {@link #retryBackoff}, doubling per attempt. A batch that
     * fails its last attempt makes the backfill {@link BackfillState#FAILED}. A deadlock or
     * serialization failure is first retried at once (up to 5 times) and counts as one attempt.
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets the wait before a failed batch's second attempt (default 2 seconds), doubled for each
     * attempt after, at most {@code maxBackoff}. Other batches go on meanwhile.
     */
    public Builder retryBackoff(Duration retryBackoff) {
      if (Objects.requireNonNull(retryBackoff, "retryBackoff").isNegative()) {
        throw new IllegalArgumentException(
            "retryBackoff must not be negative, was " + retryBackoff);
      }
      this.retryBackoff = retryBackoff;
      return this;
    }

    /**
     * Sets how many of the backfill's latest batch attempts are weighed (default 20): batches done
     * and failed attempts since it started or was last resumed, whichever process made them (read
     * from the database when an attempt fails). Once that many were made and more than half of them
     * failed, the backfill fails at once, before its batches use up their attempts.
     */
    public Builder failureWindow(int failureWindow) {
      if (failureWindow < 1) {
        throw new IllegalArgumentException(
            "failureWindow must be at least 1, was " + failureWindow);
      }
      this.failureWindow = failureWindow;
      return this;
    }

    /**
     * Bounds every statement of a batch's transaction (default: no bound): PostgreSQL {@code SET
     * LOCAL statement_timeout}, MariaDB {@code max_statement_time}, H2 {@code QUERY_TIMEOUT}. A
     * batch whose statement runs past it is split in halves, each attempted on its own, down to a
     * batch of one key, which then counts as a failed attempt: one integer key by counting through
     * it, any other key (composite, text, UUID, a query's) at its median key in the key's order; a
     * CSV file's batches are not split. Refused on SQLite and other databases, which have no such
     * bound. Null turns it off.
     */
    public Builder batchTimeout(Duration batchTimeout) {
      if (batchTimeout != null && (batchTimeout.isNegative() || batchTimeout.isZero())) {
        throw new IllegalArgumentException("batchTimeout must be positive, was " + batchTimeout);
      }
      this.batchTimeout = batchTimeout;
      return this;
    }

    /**
     * Splits each claimed batch into sub-batches of {@code subBatchSize} keys, each processed and
     * committed in a transaction of its own (default 0: off), so that a long batch holds its row
     * locks for one sub-batch at a time. The batch counts as done once its last sub-batch
     * committed; each commit also moves the batch's first key past the sub-batch, so a crash redoes
     * only the sub-batch that did not commit.
     */
    public Builder subBatchSize(int subBatchSize) {
      if (subBatchSize < 0) {
        throw new IllegalArgumentException(
            "subBatchSize must not be negative, was " + subBatchSize);
      }
      this.subBatchSize = subBatchSize;
      return this;
    }

    /**
     * Makes workers yield to sessions waiting on their locks (default: off, null turns it off); see
     * {@link LockWaitThrottle}.
     */
    public Builder throttle(LockWaitThrottle throttle) {
      this.throttle = throttle;
      return this;
    }

    /** Sets the number of keys per batch (default 5000), the first size when tuning is on. */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Adjusts the batch size toward a target duration (default: off, fixed size; null turns it
     * off).
     */
    public Builder batchTuning(BatchTuning tuning) {
      this.tuning = tuning;
      return this;
    }

    /** Sets each worker's pause between two batches (default none). */
    public Builder pauseBetweenBatches(Duration pause) {
      if (Objects.requireNonNull(pause, "pause").isNegative()) {
        throw new IllegalArgumentException("pause must not be negative, was " + pause);
      }
      this.pauseBetweenBatches = pause;
      return this;
    }

    /**
     * Sets the check asked before each batch (default: always healthy); while it says unhealthy,
     * the worker waits, doubling the wait up to {@code maxBackoff} (from the pause between batches,
     * at least 100 ms).
     */
    public Builder healthCheck(HealthCheck healthCheck, Duration maxBackoff) {
      this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
      this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
      return this;
    }

    /**
     * Sets a health check with a back-off of at most one minute; see {@link
     * #healthCheck(HealthCheck, Duration)}.
     */
    public Builder healthCheck(HealthCheck healthCheck) {
      return healthCheck(healthCheck, Duration.ofMinutes(1));
    }

    /**
     * Sets how many worker threads this process runs per backfill (default 1). Used on PostgreSQL,
     * MySQL and MariaDB, which claim batches with {@code FOR UPDATE SKIP LOCKED}; elsewhere one
     * worker runs.
     */
    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be at least 1, was " + workers);
      }
      this.workers = workers;
      return this;
    }

    /** Sets how often progress is logged and given to the listener (default 10 seconds). */
    public Builder progressInterval(Duration progressInterval) {
      this.progressInterval = Objects.requireNonNull(progressInterval, "progressInterval");
      return this;
    }

    /**
     * Sets how often a waiting worker looks at the database again: paused, or every open batch
     * claimed by another worker (default 1 second).
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
      return this;
    }

    /**
     * Makes {@code migrate} return once it reaches a backfill (after applying the migrations before
     * it and starting it), leaving the backfill, and the versions after it, to a daemon thread of
     * this process (default: {@code migrate} returns when everything is applied). See {@link
     * dev.datamigrations.runtime.MigrateResult#detached()}, {@link Backfills#awaitDetached} and
     * {@link dev.datamigrations.runtime.MigrationRunner#close}.
     */
    public Builder detach(boolean detach) {
      this.detach = detach;
      return this;
    }

    /** Sets the listener of progress and back-offs (default none). */
    public Builder listener(BackfillListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Gives {@link CsvBackfill} {@code version} the file whose rows it processes. Needed every time
     * it runs (start and resume); a resume with another file than the one it started with is
     * refused ({@link BackfillInputException}).
     */
    public Builder csvFile(long version, Path file) {
      csvFiles.put(version, Objects.requireNonNull(file, "file"));
      return this;
    }

    /** Returns the settings. */
    public BackfillSettings build() {
      return new BackfillSettings(this);
    }
  }
}
