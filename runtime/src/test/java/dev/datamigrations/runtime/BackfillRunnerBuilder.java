package dev.datamigrations.runtime;

import dev.datamigrations.runtime.backfill.BackfillListener;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.backfill.BatchTuning;
import dev.datamigrations.runtime.backfill.HealthCheck;
import java.time.Duration;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * A runner's builder and its backfill settings' builder in one, for the backfill tests: each
 * setting goes to the builder that owns it, and {@link #build()} gives the runner its {@link
 * BackfillSettings}.
 */
final class BackfillRunnerBuilder {
  /** A listener of both the runner and its backfills, for tests that hear everything. */
  interface Listener extends MigrationListener, BackfillListener {}

  private final MigrationRunner.Builder runner;
  private final BackfillSettings.Builder backfills = BackfillSettings.builder();

  private BackfillRunnerBuilder(MigrationRunner.Builder runner) {
    this.runner = runner;
  }

  static BackfillRunnerBuilder configure(Jdbi jdbi, MigrationCatalog catalog) {
    return new BackfillRunnerBuilder(MigrationRunner.configure(jdbi, catalog));
  }

  static BackfillRunnerBuilder configure(DataSource dataSource, MigrationCatalog catalog) {
    return new BackfillRunnerBuilder(MigrationRunner.configure(dataSource, catalog));
  }

  BackfillRunnerBuilder table(String table) {
    runner.table(table);
    return this;
  }

  BackfillRunnerBuilder schema(String schema) {
    runner.schema(schema);
    return this;
  }

  BackfillRunnerBuilder lockTimeout(Duration lockTimeout) {
    runner.lockTimeout(lockTimeout);
    return this;
  }

  BackfillRunnerBuilder outOfOrder(OutOfOrderPolicy outOfOrder) {
    runner.outOfOrder(outOfOrder);
    return this;
  }

  BackfillRunnerBuilder operator(String operator) {
    runner.operator(operator);
    return this;
  }

  BackfillRunnerBuilder reason(String reason) {
    runner.reason(reason);
    return this;
  }

  /** Sets the runner's listener, and the backfills' too if it hears them. */
  BackfillRunnerBuilder listener(MigrationListener listener) {
    runner.listener(listener);
    if (listener instanceof BackfillListener backfillListener) {
      backfills.listener(backfillListener);
    }
    return this;
  }

  BackfillRunnerBuilder batchSize(int batchSize) {
    backfills.batchSize(batchSize);
    return this;
  }

  BackfillRunnerBuilder batchTuning(BatchTuning tuning) {
    backfills.batchTuning(tuning);
    return this;
  }

  BackfillRunnerBuilder pauseBetweenBatches(Duration pause) {
    backfills.pauseBetweenBatches(pause);
    return this;
  }

  BackfillRunnerBuilder healthCheck(HealthCheck healthCheck, Duration maxBackoff) {
    backfills.healthCheck(healthCheck, maxBackoff);
    return this;
  }

  BackfillRunnerBuilder healthCheck(HealthCheck healthCheck) {
    backfills.healthCheck(healthCheck);
    return this;
  }

  BackfillRunnerBuilder workers(int workers) {
    backfills.workers(workers);
    return this;
  }

  BackfillRunnerBuilder progressInterval(Duration progressInterval) {
    backfills.progressInterval(progressInterval);
    return this;
  }

  BackfillRunnerBuilder pollInterval(Duration pollInterval) {
    backfills.pollInterval(pollInterval);
    return this;
  }

  BackfillRunnerBuilder detachBackfills(boolean detach) {
    backfills.detach(detach);
    return this;
  }

  /** Sets any backfill setting, for those without a method here. */
  BackfillRunnerBuilder backfills(java.util.function.Consumer<BackfillSettings.Builder> settings) {
    settings.accept(backfills);
    return this;
  }

  MigrationRunner build() {
    return runner.with(backfills.build()).build();
  }
}
