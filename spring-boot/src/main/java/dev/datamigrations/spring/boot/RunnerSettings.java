package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.BatchTuning;
import dev.datamigrations.runtime.MigrationListener;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.PostgresHealthCheck;
import java.util.List;

/**
 * Applies the {@code datamigrations.*} properties, the listeners and the customizers to a runner's builder: the
 * one place that knows the runtime's builder methods.
 */
final class RunnerSettings {
  private RunnerSettings() {}

  /** Sets every property on {@code builder}, then the listener, then runs the customizers in order. */
  static MigrationRunner.Builder apply(
      MigrationRunner.Builder builder,
      DataMigrationsProperties properties,
      MigrationListener listener,
      List<DataMigrationsRunnerCustomizer> customizers) {
    builder
        .table(properties.getTable())
        .schema(properties.getSchema())
        .lockTimeout(properties.getLockTimeout())
        .outOfOrder(properties.getOutOfOrder())
        .reason(properties.getReason())
        .operator(properties.getOperator())
        .listener(listener)
        .batchSize(properties.getBatchSize())
        .pauseBetweenBatches(properties.getBatchPause())
        .workers(properties.getWorkers())
        .detachBackfills(properties.isDetachBackfills());
    if (properties.getTargetBatchDuration() != null) {
      builder.batchTuning(BatchTuning.toward(properties.getTargetBatchDuration()));
    }
    if (properties.getHealthCheck() == DataMigrationsProperties.BackfillHealthCheck.POSTGRES) {
      builder.healthCheck(
          PostgresHealthCheck.withLimits(
              properties.getPostgresHealth().getMaxTransactionAge(),
              properties.getPostgresHealth().getMaxReplicationLag()));
    }
    customizers.forEach(customizer -> customizer.customize(builder));
    return builder;
  }
}
