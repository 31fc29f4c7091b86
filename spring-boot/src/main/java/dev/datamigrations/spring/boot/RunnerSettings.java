package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationListener;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.backfill.BackfillListener;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.backfill.BatchTuning;
import dev.datamigrations.runtime.backfill.PostgresHealthCheck;
import java.util.List;

/**
 * Applies the {@code datamigrations.*} properties, the listeners and the customizers to a runner's
 * builder: the one place that knows the runtime's builder methods.
 */
final class RunnerSettings {
  private RunnerSettings() {}

  /**
   * Sets every property on {@code builder}, then the listener and the backfill settings, then runs
   * the customizers in order.
   */
  static MigrationRunner.Builder apply(
      MigrationRunner.Builder builder,
      DataMigrationsProperties properties,
      MigrationListener listener,
      BackfillSettings backfills,
      List<DataMigrationsRunnerCustomizer> customizers) {
    builder
        .table(properties.getTable())
        .schema(properties.getSchema())
        .lockTimeout(properties.getLockTimeout())
        .outOfOrder(properties.getOutOfOrder())
        .validateOnMigrate(properties.isValidateOnMigrate())
        .reason(properties.getReason())
        .operator(properties.getOperator())
        .listener(listener)
        .with(backfills);
    customizers.forEach(customizer -> customizer.customize(builder));
    return builder;
  }

  /**
   * Returns the backfill settings of the properties, with {@code listener}, after the customizers
   * in order.
   */
  static BackfillSettings backfills(
      DataMigrationsProperties properties,
      BackfillListener listener,
      List<DataMigrationsBackfillCustomizer> customizers) {
    BackfillSettings.Builder builder =
        BackfillSettings.builder()
            .listener(listener)
            .batchSize(properties.getBatchSize())
            .pauseBetweenBatches(properties.getBatchPause())
            .workers(properties.getWorkers())
            .detach(properties.isDetachBackfills())
            .busyPause(properties.getBackfill().getBusyPause())
            .durableBatchCommits(properties.getBackfill().isDurableBatchCommits());
    if (properties.getTargetBatchDuration() != null) {
      builder.batchTuning(BatchTuning.toward(properties.getTargetBatchDuration()));
    }
    if (properties.getHealthCheck() == DataMigrationsProperties.BackfillHealthCheck.POSTGRES) {
      DataMigrationsProperties.PostgresHealth limits = properties.getPostgresHealth();
      PostgresHealthCheck check =
          PostgresHealthCheck.withLimits(
              limits.getMaxTransactionAge(), limits.getMaxReplicationLag());
      if (limits.isAutovacuumOnTable()) {
        check = check.withAutovacuumOnTable();
      }
      if (limits.getMaxWalRate() != null) {
        check = check.withMaxWalRate(limits.getMaxWalRate().toBytes());
      }
      builder.healthCheck(check);
    }
    properties.getBackfill().getCsv().forEach(builder::csvFile);
    customizers.forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }
}
