package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.OutOfOrderPolicy;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.backfill.BatchTuning;
import dev.datamigrations.runtime.backfill.LockWaitThrottle;
import dev.datamigrations.runtime.backfill.PostgresHealthCheck;
import java.time.Duration;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** How a run behaves and what it records: the options handed to {@link MigrationRunner.Builder}. */
final class RunOptions {

  @Option(
      names = "--table",
      paramLabel = "TABLE",
      scope = ScopeType.INHERIT,
      description = "History table (default: data_migrations).")
  String table;

  @Option(
      names = "--schema",
      paramLabel = "SCHEMA",
      scope = ScopeType.INHERIT,
      description = "Schema of the history table (default: the connection's current schema).")
  String schema;

  @Option(
      names = "--lock-timeout",
      paramLabel = "DURATION",
      scope = ScopeType.INHERIT,
      converter = DurationConverter.class,
      description =
          "How long to wait for another run's lock: 30s, 5m, or ISO-8601 like PT2M (default: 5m).")
  Duration lockTimeout;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      scope = ScopeType.INHERIT,
      description =
          "Why this run happens (a ticket, a sentence); stored in the history for the audit trail.")
  String reason;

  @Option(
      names = "--operator",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description = "Who runs it, stored in the history (default: the system user name).")
  String operator;

  @Option(
      names = "--refuse-out-of-order",
      scope = ScopeType.INHERIT,
      description =
          "Refuse, before changing anything, to apply a pending version older than the newest applied one.")
  boolean refuseOutOfOrder;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      scope = ScopeType.INHERIT,
      description =
          "Keys per backfill batch (default: 5000); the first size when --target-batch-duration is set.")
  Integer batchSize;

  @Option(
      names = "--target-batch-duration",
      paramLabel = "DURATION",
      scope = ScopeType.INHERIT,
      converter = DurationConverter.class,
      description =
          "Tune the backfill batch size toward this duration per batch (100 to 50,000 keys, 20%% at most per step).")
  Duration targetBatchDuration;

  @Option(
      names = "--batch-pause",
      paramLabel = "DURATION",
      scope = ScopeType.INHERIT,
      converter = DurationConverter.class,
      description = "Pause of each backfill worker between two batches (default: none).")
  Duration batchPause;

  @Option(
      names = "--workers",
      paramLabel = "N",
      scope = ScopeType.INHERIT,
      description =
          "Backfill worker threads in this process (default: 1; PostgreSQL, MySQL, MariaDB only).")
  Integer workers;

  @Option(
      names = "--postgres-health-check",
      scope = ScopeType.INHERIT,
      description =
          "Back off while a PostgreSQL transaction is open for over 10 minutes or a replica lags over 30 s.")
  boolean postgresHealthCheck;

  @Option(
      names = "--postgres-autovacuum-on-table",
      scope = ScopeType.INHERIT,
      description =
          "Back off while autovacuum vacuums the table a backfill walks (PostgreSQL; with or without"
              + " --postgres-health-check).")
  boolean postgresAutovacuumOnTable;

  @Option(
      names = "--postgres-max-wal-rate",
      paramLabel = "SIZE",
      scope = ScopeType.INHERIT,
      converter = ByteSizeConverter.class,
      description =
          "Back off while PostgreSQL writes more WAL per second than SIZE: 64MB, 512KB, or bytes (with or"
              + " without --postgres-health-check).")
  Long postgresMaxWalRate;

  @Option(
      names = "--busy-pause",
      paramLabel = "MULTIPLE",
      scope = ScopeType.INHERIT,
      converter = MultipleConverter.class,
      description =
          "After each backfill batch, while another session is busy, pause MULTIPLE times the batch's duration"
              + " (PostgreSQL; default: 1, 0 turns it off).")
  Double busyPause;

  @Option(
      names = "--durable-batch-commits",
      scope = ScopeType.INHERIT,
      description =
          "Make each backfill batch's commit wait for the disk instead of committing with synchronous_commit off"
              + " (PostgreSQL).")
  boolean durableBatchCommits;

  @Option(
      names = "--csv",
      paramLabel = "VERSION=FILE",
      scope = ScopeType.INHERIT,
      description =
          "The CSV file of a CsvBackfill, needed whenever it runs (repeatable): VERSION=FILE; with work VERSION,"
              + " FILE alone.")
  java.util.List<String> csv = new java.util.ArrayList<>();

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      scope = ScopeType.INHERIT,
      description =
          "Attempts of a failing backfill batch before the backfill fails (default: 3), with back-off between.")
  Integer maxAttempts;

  @Option(
      names = "--batch-timeout",
      paramLabel = "DURATION",
      scope = ScopeType.INHERIT,
      converter = DurationConverter.class,
      description =
          "Bound on every statement of a backfill batch; a batch past it is split in halves (default: none;"
              + " PostgreSQL, MySQL/MariaDB, H2).")
  Duration batchTimeout;

  @Option(
      names = "--sub-batch-size",
      paramLabel = "N",
      scope = ScopeType.INHERIT,
      description =
          "Commit each backfill batch in sub-batches of N keys, to hold row locks shorter (default: off).")
  Integer subBatchSize;

  @Option(
      names = "--throttle",
      scope = ScopeType.INHERIT,
      description =
          "Shrink backfill batches and pause while other sessions wait on the worker's locks (PostgreSQL).")
  boolean throttle;

  /** Returns the backfill settings these options give, as a builder to add to. */
  BackfillSettings.Builder backfills() {
    return backfills(null);
  }

  /**
   * Returns the backfill settings these options give, a {@code --csv FILE} without a version going
   * to {@code version} (the backfill of {@code work VERSION}; null if the command names none).
   */
  BackfillSettings.Builder backfills(Long version) {
    BackfillSettings.Builder builder = BackfillSettings.builder();
    java.util.Map<Long, String> given = new java.util.HashMap<>();
    for (String file : csv) {
      int equals = file.indexOf('=');
      if (equals > 0 && file.substring(0, equals).chars().allMatch(Character::isDigit)) {
        long csvVersion = csvVersion(file, file.substring(0, equals));
        String path = file.substring(equals + 1);
        if (path.isBlank()) {
          throw new IllegalArgumentException(
              "--csv " + file + " names no file: write --csv VERSION=FILE. Nothing was changed.");
        }
        refuseTwice(given, csvVersion, file);
        builder.csvFile(csvVersion, java.nio.file.Path.of(path));
      } else if (version != null) {
        refuseTwice(given, version, file);
        builder.csvFile(version, java.nio.file.Path.of(file));
      } else {
        throw new IllegalArgumentException(
            "--csv "
                + file
                + " does not say which backfill the file is for: write --csv VERSION=FILE (or work VERSION"
                + " --csv FILE). Nothing was changed.");
      }
    }
    if (batchSize != null) {
      builder.batchSize(batchSize);
    }
    if (targetBatchDuration != null) {
      builder.batchTuning(BatchTuning.toward(targetBatchDuration));
    }
    if (batchPause != null) {
      builder.pauseBetweenBatches(batchPause);
    }
    if (workers != null) {
      builder.workers(workers);
    }
    if (postgresHealthCheck || postgresAutovacuumOnTable || postgresMaxWalRate != null) {
      PostgresHealthCheck check =
          postgresHealthCheck ? PostgresHealthCheck.defaults() : PostgresHealthCheck.none();
      if (postgresAutovacuumOnTable) {
        check = check.withAutovacuumOnTable();
      }
      if (postgresMaxWalRate != null) {
        check = check.withMaxWalRate(postgresMaxWalRate);
      }
      builder.healthCheck(check);
    }
    if (busyPause != null) {
      builder.busyPause(busyPause);
    }
    builder.durableBatchCommits(durableBatchCommits);
    if (maxAttempts != null) {
      builder.maxAttempts(maxAttempts);
    }
    if (batchTimeout != null) {
      builder.batchTimeout(batchTimeout);
    }
    if (subBatchSize != null) {
      builder.subBatchSize(subBatchSize);
    }
    if (throttle) {
      builder.throttle(LockWaitThrottle.defaults());
    }
    return builder;
  }

  private static long csvVersion(String option, String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--csv "
              + option
              + ": "
              + digits
              + " is not a version (at most "
              + Long.MAX_VALUE
              + "). Nothing was changed.");
    }
  }

  private static void refuseTwice(java.util.Map<Long, String> given, long version, String option) {
    String earlier = given.putIfAbsent(version, option);
    if (earlier != null) {
      throw new IllegalArgumentException(
          "--csv gives backfill "
              + version
              + " two files ("
              + earlier
              + " and "
              + option
              + "): give one. Nothing was changed.");
    }
  }

  /** Applies these options, the backfill settings included, to {@code builder} and returns it. */
  MigrationRunner.Builder applyTo(MigrationRunner.Builder builder) {
    if (table != null) {
      builder.table(table);
    }
    if (schema != null) {
      builder.schema(schema);
    }
    if (lockTimeout != null) {
      builder.lockTimeout(lockTimeout);
    }
    if (refuseOutOfOrder) {
      builder.outOfOrder(OutOfOrderPolicy.REFUSE);
    }
    return builder
        .operator(operator != null ? operator : System.getProperty("user.name"))
        .reason(reason);
  }
}
