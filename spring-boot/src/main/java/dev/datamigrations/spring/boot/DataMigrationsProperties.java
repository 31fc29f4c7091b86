package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.OutOfOrderPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Binds {@code datamigrations.*}. Setters refuse impossible values, so that a bad value stops
 * start-up with Boot's binding error naming the property, before anything touches the database.
 */
@ConfigurationProperties(prefix = "datamigrations")
public class DataMigrationsProperties {

  /** What to do at start-up. */
  public enum Mode {
    /** Apply every pending migration (the default). */
    MIGRATE,
    /**
     * Apply nothing; fail start-up if anything is pending (or, unless detach-backfills, still
     * running).
     */
    VERIFY
  }

  /** Which health check a backfill asks before each batch. */
  public enum BackfillHealthCheck {
    /** Never back off (the default). */
    NONE,
    /**
     * Back off on long transactions and replication lag, and optionally on autovacuum of the walked
     * table and the WAL rate (PostgreSQL only).
     */
    POSTGRES
  }

  /** Whether to create the runner and run data migrations at start-up. */
  private boolean enabled = true;

  /** What to do at start-up: migrate, or only verify that nothing is pending. */
  private Mode mode = Mode.MIGRATE;

  /** Name of the history table. */
  private String table = "data_migrations";

  /** Schema of the history table; the connection's current schema when unset. */
  private String schema;

  /** How long to wait for another instance's run lock before start-up fails. */
  private Duration lockTimeout = Duration.ofMinutes(5);

  /** What to do with a pending version older than the newest applied one. */
  private OutOfOrderPolicy outOfOrder = OutOfOrderPolicy.APPLY;

  /**
   * Whether start-up first checks that no applied data migration changed since it ran (the checksum
   * of its source), and fails naming each one that did.
   */
  private boolean validateOnMigrate;

  /** Reason stored in the history for this run (a ticket, a sentence). */
  private String reason;

  /** Who runs the migrations, stored in the history with the database user and host. */
  private String operator;

  /** Keys per backfill batch; the first size when target-batch-duration is set. */
  private int batchSize = 5000;

  /** Batch duration to tune the batch size toward; fixed batch size when unset. */
  private Duration targetBatchDuration;

  /** Pause of each backfill worker between two batches. */
  private Duration batchPause = Duration.ZERO;

  /** Backfill worker threads in this process (used on PostgreSQL, MySQL and MariaDB). */
  private int workers = 1;

  /** Health check a backfill asks before each batch. */
  private BackfillHealthCheck healthCheck = BackfillHealthCheck.NONE;

  /** Limits and optional signals of health-check=postgres. */
  private final PostgresHealth postgresHealth = new PostgresHealth();

  /**
   * Whether start-up goes on while a backfill (and the versions after it) runs in a background
   * thread.
   */
  private boolean detachBackfills;

  /** Backfill inputs. */
  private final Backfill backfill = new Backfill();

  /** Actuator settings. */
  private final Actuator actuator = new Actuator();

  /** Web console settings. */
  private final Console console = new Console();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Mode getMode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  public String getTable() {
    return table;
  }

  public void setTable(String table) {
    if (table == null || table.isBlank()) {
      throw new IllegalArgumentException(
          "datamigrations.table must name the history table, was blank");
    }
    this.table = table;
  }

  public String getSchema() {
    return schema;
  }

  public void setSchema(String schema) {
    this.schema = schema;
  }

  public Duration getLockTimeout() {
    return lockTimeout;
  }

  public void setLockTimeout(Duration lockTimeout) {
    if (lockTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "datamigrations.lock-timeout must not be negative, was " + lockTimeout);
    }
    this.lockTimeout = lockTimeout;
  }

  public OutOfOrderPolicy getOutOfOrder() {
    return outOfOrder;
  }

  public void setOutOfOrder(OutOfOrderPolicy outOfOrder) {
    this.outOfOrder = outOfOrder;
  }

  public boolean isValidateOnMigrate() {
    return validateOnMigrate;
  }

  public void setValidateOnMigrate(boolean validateOnMigrate) {
    this.validateOnMigrate = validateOnMigrate;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getOperator() {
    return operator;
  }

  public void setOperator(String operator) {
    this.operator = operator;
  }

  public int getBatchSize() {
    return batchSize;
  }

  public void setBatchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException(
          "datamigrations.batch-size must be at least 1, was " + batchSize);
    }
    this.batchSize = batchSize;
  }

  public Duration getTargetBatchDuration() {
    return targetBatchDuration;
  }

  public void setTargetBatchDuration(Duration targetBatchDuration) {
    if (targetBatchDuration != null
        && (targetBatchDuration.isNegative() || targetBatchDuration.isZero())) {
      throw new IllegalArgumentException(
          "datamigrations.target-batch-duration must be positive, was " + targetBatchDuration);
    }
    this.targetBatchDuration = targetBatchDuration;
  }

  public Duration getBatchPause() {
    return batchPause;
  }

  public void setBatchPause(Duration batchPause) {
    if (batchPause.isNegative()) {
      throw new IllegalArgumentException(
          "datamigrations.batch-pause must not be negative, was " + batchPause);
    }
    this.batchPause = batchPause;
  }

  public int getWorkers() {
    return workers;
  }

  public void setWorkers(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException(
          "datamigrations.workers must be at least 1, was " + workers);
    }
    this.workers = workers;
  }

  public BackfillHealthCheck getHealthCheck() {
    return healthCheck;
  }

  public void setHealthCheck(BackfillHealthCheck healthCheck) {
    this.healthCheck = healthCheck;
  }

  public PostgresHealth getPostgresHealth() {
    return postgresHealth;
  }

  public boolean isDetachBackfills() {
    return detachBackfills;
  }

  public void setDetachBackfills(boolean detachBackfills) {
    this.detachBackfills = detachBackfills;
  }

  public Backfill getBackfill() {
    return backfill;
  }

  public Actuator getActuator() {
    return actuator;
  }

  public Console getConsole() {
    return console;
  }

  /**
   * Limits and optional signals of {@code health-check=postgres}: beyond any limit, a backfill
   * backs off before its next batch.
   */
  public static class PostgresHealth {

    /** Age of another session's open, non-idle transaction beyond which a backfill backs off. */
    private Duration maxTransactionAge = Duration.ofMinutes(10);

    /** Replica replay lag beyond which a backfill backs off. */
    private Duration maxReplicationLag = Duration.ofSeconds(30);

    /**
     * Whether a backfill also backs off while autovacuum vacuums the table it walks (needs
     * pg_read_all_stats, as the other session signals).
     */
    private boolean autovacuumOnTable;

    /**
     * WAL written per second beyond which a backfill backs off (such as 64MB), measured between
     * checks at least a second apart; the backfill's own WAL counts. Off when unset; refused on a
     * standby.
     */
    private DataSize maxWalRate;

    public Duration getMaxTransactionAge() {
      return maxTransactionAge;
    }

    public void setMaxTransactionAge(Duration maxTransactionAge) {
      if (maxTransactionAge.isNegative()) {
        throw new IllegalArgumentException(
            "datamigrations.postgres-health.max-transaction-age must not be negative, was "
                + maxTransactionAge);
      }
      this.maxTransactionAge = maxTransactionAge;
    }

    public Duration getMaxReplicationLag() {
      return maxReplicationLag;
    }

    public void setMaxReplicationLag(Duration maxReplicationLag) {
      if (maxReplicationLag.isNegative()) {
        throw new IllegalArgumentException(
            "datamigrations.postgres-health.max-replication-lag must not be negative, was "
                + maxReplicationLag);
      }
      this.maxReplicationLag = maxReplicationLag;
    }

    public boolean isAutovacuumOnTable() {
      return autovacuumOnTable;
    }

    public void setAutovacuumOnTable(boolean autovacuumOnTable) {
      this.autovacuumOnTable = autovacuumOnTable;
    }

    public DataSize getMaxWalRate() {
      return maxWalRate;
    }

    public void setMaxWalRate(DataSize maxWalRate) {
      if (maxWalRate != null && maxWalRate.toBytes() <= 0) {
        throw new IllegalArgumentException(
            "datamigrations.postgres-health.max-wal-rate must be positive (bytes of WAL per second,"
                + " such as 64MB), was "
                + maxWalRate);
      }
      this.maxWalRate = maxWalRate;
    }
  }

  /** How backfills share the database with the application, and what they read besides it. */
  public static class Backfill {

    /**
     * Multiple of a batch's duration that a worker pauses after it while another session of the
     * database is busy (PostgreSQL): 2 leaves the database to the application two thirds of the
     * time, 1 half of it, 0 never pauses.
     */
    private double busyPause = 2.0;

    /**
     * Whether each batch's commit waits until it is on disk (PostgreSQL); by default batches commit
     * with synchronous_commit off, and a database crash may make the backfill redo its last
     * batches.
     */
    private boolean durableBatchCommits;

    /**
     * CSV file of each CsvBackfill, keyed by its version: datamigrations.backfill.csv.VERSION=FILE.
     * Needed while that backfill is not applied; the same file on every resume.
     */
    private Map<Long, Path> csv = new LinkedHashMap<>();

    public double getBusyPause() {
      return busyPause;
    }

    public void setBusyPause(double busyPause) {
      if (!(busyPause >= 0) || Double.isInfinite(busyPause)) {
        throw new IllegalArgumentException(
            "datamigrations.backfill.busy-pause must be a finite multiple of at least 0 (0 turns it"
                + " off), was "
                + busyPause);
      }
      this.busyPause = busyPause;
    }

    public boolean isDurableBatchCommits() {
      return durableBatchCommits;
    }

    public void setDurableBatchCommits(boolean durableBatchCommits) {
      this.durableBatchCommits = durableBatchCommits;
    }

    public Map<Long, Path> getCsv() {
      return csv;
    }

    public void setCsv(Map<Long, Path> csv) {
      for (Map.Entry<Long, Path> entry : csv.entrySet()) {
        String property = "datamigrations.backfill.csv." + entry.getKey();
        if (entry.getKey() < 1) {
          throw new IllegalArgumentException(
              property + " must be keyed by a data migration's version, was " + entry.getKey());
        }
        Path file = entry.getValue();
        if (file == null || file.toString().isBlank()) {
          throw new IllegalArgumentException(
              property
                  + " must name the CSV file of CsvBackfill "
                  + entry.getKey()
                  + ", was blank");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
          throw new IllegalArgumentException(
              property
                  + " names "
                  + file.toAbsolutePath()
                  + ", which is not a readable file: give the CSV file of CsvBackfill "
                  + entry.getKey()
                  + " (or remove the property once that backfill is applied)");
        }
      }
      this.csv = new LinkedHashMap<>(csv);
    }
  }

  /** Settings of the {@code datamigrations} actuator endpoint. */
  public static class Actuator {

    /** Whether the endpoint accepts pause, resume and cancel of a backfill (they change state). */
    private boolean writeOperations;

    public boolean isWriteOperations() {
      return writeOperations;
    }

    public void setWriteOperations(boolean writeOperations) {
      this.writeOperations = writeOperations;
    }
  }

  /** Settings of the web console, served by the application's servlet container. */
  public static class Console {

    /** Whether to serve the web console (needs a servlet web application). */
    private boolean enabled;

    /** Path the console is served at, below the servlet context path. */
    private String path = "/datamigrations";

    /**
     * Whether the console accepts migrate, up, down, pause, resume and cancel (they change state).
     */
    private boolean actionsEnabled;

    /**
     * Access token of at least 16 characters; required unless Spring Security is configured, unused
     * then.
     */
    private String token;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      if (path == null || !path.matches("(/[A-Za-z0-9._~-]+)+")) {
        throw new IllegalArgumentException(
            "datamigrations.console.path must be a path such as /datamigrations (segments of letters, digits and"
                + " . _ ~ -, no trailing slash), was "
                + path);
      }
      this.path = path;
    }

    public boolean isActionsEnabled() {
      return actionsEnabled;
    }

    public void setActionsEnabled(boolean actionsEnabled) {
      this.actionsEnabled = actionsEnabled;
    }

    public String getToken() {
      return token;
    }

    public void setToken(String token) {
      this.token = token;
    }
  }
}
