package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.Direction;
import dev.datamigrations.runtime.MigrateResult;
import dev.datamigrations.runtime.MigrationExecution;
import dev.datamigrations.runtime.MigrationRunner;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Runs the data migrations when the context creates it: a database initializer in Boot's sense,
 * ordered after Flyway's and Liquibase's initializers and SQL scripts, and before every bean that
 * depends on database initialization ({@code JdbcTemplate}, JPA's {@code EntityManagerFactory}...),
 * see {@link DataMigrationsDatabaseInitializerDetector}. Each migration runs in a transaction of
 * its own with its history row, unless it is declared {@code transactional = false}; a failure
 * fails start-up.
 */
public class DataMigrationsInitializer implements InitializingBean {
  private static final Logger LOG = LoggerFactory.getLogger(DataMigrationsInitializer.class);

  private final MigrationRunner runner;
  private final DataMigrationsProperties.Mode mode;
  private final boolean detachBackfills;
  private final DataMigrationsStrategy strategy;
  private final RunRecorder recorder;

  /**
   * Creates the initializer.
   *
   * @param strategy takes over the run when not null
   */
  public DataMigrationsInitializer(
      MigrationRunner runner,
      DataMigrationsProperties.Mode mode,
      boolean detachBackfills,
      DataMigrationsStrategy strategy) {
    this(runner, mode, detachBackfills, strategy, RunRecorder.NONE);
  }

  DataMigrationsInitializer(
      MigrationRunner runner,
      DataMigrationsProperties.Mode mode,
      boolean detachBackfills,
      DataMigrationsStrategy strategy,
      RunRecorder recorder) {
    this.runner = Objects.requireNonNull(runner, "runner");
    this.mode = Objects.requireNonNull(mode, "mode");
    this.detachBackfills = detachBackfills;
    this.strategy = strategy;
    this.recorder = Objects.requireNonNull(recorder, "recorder");
  }

  /** Runs (or verifies) and records how long it took and whether it failed. */
  @Override
  public void afterPropertiesSet() {
    String verb =
        strategy != null
            ? "strategy"
            : mode == DataMigrationsProperties.Mode.VERIFY ? "verify" : "migrate";
    long start = System.nanoTime();
    String outcome = "failure";
    try {
      run();
      outcome = "success";
    } finally {
      recorder.record(verb, outcome, Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private void run() {
    if (strategy != null) {
      strategy.run(runner);
    } else if (mode == DataMigrationsProperties.Mode.VERIFY) {
      // A detached backfill is still running by design: only versions not started fail start-up
      // then.
      runner.assertNoPending(detachBackfills);
      LOG.info("Data migrations verified: nothing pending");
    } else {
      MigrateResult result = runner.migrate();
      for (MigrationExecution execution : result.executed()) {
        LOG.info(
            "Data migration {} {} in {} ms",
            execution.migration(),
            execution.direction() == Direction.UP ? "applied" : "reverted",
            execution.duration().toMillis());
      }
      LOG.info(
          "Data migrations: {} applied now, {} already applied, {} left running in the background ({} ms)",
          result.executed().size(),
          result.alreadyApplied(),
          result.detached().size(),
          result.duration().toMillis());
    }
  }
}
