package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationExecution;
import dev.datamigrations.runtime.MigrationFailedException;
import dev.datamigrations.runtime.MigrationListener;
import dev.datamigrations.runtime.backfill.BackfillListener;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.BatchFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Records Micrometer metrics from the runner's events:
 *
 * <ul>
 *   <li>{@code datamigrations.migrations.applied} and {@code datamigrations.migrations.failed}:
 *       counters tagged {@code version} and {@code direction}; the versions are those of the code,
 *       so the tags stay bounded;
 *   <li>{@code datamigrations.migrations.duration}: a timer of each migration's run, tagged {@code
 *       direction};
 *   <li>{@code datamigrations.run.duration}: a timer of the start-up run (up to where it detaches
 *       backfills), tagged {@code verb} ({@code migrate}, {@code verify}, {@code strategy}) and
 *       {@code outcome} ({@code success}, {@code failure});
 *   <li>{@code datamigrations.backfill.rows}, {@code .rows.per.second}, {@code .batch.longest}
 *       (seconds), {@code .eta} (seconds, NaN while unknown): gauges tagged {@code version},
 *       updated at each progress report;
 *   <li>{@code datamigrations.backfill.failed}: a gauge tagged {@code version}, 1 while the
 *       backfill is {@code FAILED} (its batches failed past the threshold; it needs a fix and
 *       {@code resume}), 0 otherwise, updated at each progress report (a worker reports when the
 *       backfill fails, and when it is done after a resume);
 *   <li>{@code datamigrations.backfill.batch.failures}: a counter of failed batch attempts (rolled
 *       back, recorded, then retried, split or failing the backfill), tagged {@code version};
 *   <li>{@code datamigrations.backfill.throttled}: a counter of health-check back-offs, tagged
 *       {@code version}.
 * </ul>
 *
 * <p>A backfill that fails also counts once in {@code datamigrations.migrations.failed}, like any
 * migration that fails.
 *
 * <p>The registry is looked up at the first event, so the metrics work whether or not the registry
 * exists before the migrations run at start-up; without one, this records nothing.
 */
public final class DataMigrationsMetrics
    implements MigrationListener, BackfillListener, RunRecorder {
  private final ObjectProvider<MeterRegistry> registries;
  private final Map<Long, AtomicReference<BackfillProgress>> backfills = new ConcurrentHashMap<>();

  public DataMigrationsMetrics(ObjectProvider<MeterRegistry> registries) {
    this.registries = registries;
  }

  @Override
  public void succeeded(MigrationExecution execution) {
    registries.ifAvailable(
        registry -> {
          String direction = execution.direction().name().toLowerCase(Locale.ROOT);
          Counter.builder("datamigrations.migrations.applied")
              .description("Data migrations that ran and committed")
              .tag("version", Long.toString(execution.migration().version()))
              .tag("direction", direction)
              .register(registry)
              .increment();
          Timer.builder("datamigrations.migrations.duration")
              .description("How long a data migration and its history write took")
              .tag("direction", direction)
              .register(registry)
              .record(execution.duration());
        });
  }

  @Override
  public void record(String verb, String outcome, Duration duration) {
    registries.ifAvailable(
        registry ->
            Timer.builder("datamigrations.run.duration")
                .description(
                    "How long the data migrations' start-up run took (until backfills detach)")
                .tag("verb", verb)
                .tag("outcome", outcome)
                .register(registry)
                .record(duration));
  }

  @Override
  public void failed(MigrationFailedException failure) {
    registries.ifAvailable(
        registry ->
            Counter.builder("datamigrations.migrations.failed")
                .description("Data migrations that failed")
                .tag("version", Long.toString(failure.migration().version()))
                .tag("direction", failure.direction().name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment());
  }

  @Override
  public void backfillProgress(MigrationDescriptor backfill, BackfillProgress progress) {
    backfills
        .computeIfAbsent(
            backfill.version(),
            version -> {
              AtomicReference<BackfillProgress> latest = new AtomicReference<>(progress);
              registries.ifAvailable(registry -> registerGauges(registry, version, latest));
              return latest;
            })
        .set(progress);
  }

  @Override
  public void backfillThrottled(MigrationDescriptor backfill, String reason, Duration wait) {
    registries.ifAvailable(
        registry ->
            Counter.builder("datamigrations.backfill.throttled")
                .description(
                    "Times a backfill worker backed off because the health check said unhealthy")
                .tag("version", Long.toString(backfill.version()))
                .register(registry)
                .increment());
  }

  @Override
  public void backfillBatchFailed(MigrationDescriptor backfill, BatchFailure failure) {
    registries.ifAvailable(
        registry ->
            Counter.builder("datamigrations.backfill.batch.failures")
                .description(
                    "Failed batch attempts of a backfill (rolled back and recorded; retried, split,"
                        + " or failing the backfill)")
                .tag("version", Long.toString(backfill.version()))
                .register(registry)
                .increment());
  }

  private static void registerGauges(
      MeterRegistry registry, long version, AtomicReference<BackfillProgress> latest) {
    gauge(
        registry,
        "datamigrations.backfill.rows",
        "Rows a backfill has done",
        version,
        latest,
        p -> p.rowsDone());
    gauge(
        registry,
        "datamigrations.backfill.rows.per.second",
        "A backfill's rows per second since it started",
        version,
        latest,
        BackfillProgress::rowsPerSecond);
    gauge(
        registry,
        "datamigrations.backfill.batch.longest",
        "The longest batch transaction of a backfill, in seconds",
        version,
        latest,
        p -> p.longestBatch() == null ? Double.NaN : p.longestBatch().toNanos() / 1e9);
    gauge(
        registry,
        "datamigrations.backfill.eta",
        "A backfill's estimated time left, in seconds",
        version,
        latest,
        p -> p.eta() == null ? Double.NaN : p.eta().toNanos() / 1e9);
    gauge(
        registry,
        "datamigrations.backfill.failed",
        "1 while a backfill is FAILED (it needs a fix and resume), 0 otherwise",
        version,
        latest,
        p -> p.state() == BackfillState.FAILED ? 1 : 0);
  }

  private static void gauge(
      MeterRegistry registry,
      String name,
      String description,
      long version,
      AtomicReference<BackfillProgress> latest,
      ToDoubleFunction<BackfillProgress> value) {
    Gauge.builder(name, latest, ref -> value.applyAsDouble(ref.get()))
        .description(description)
        .tag("version", Long.toString(version))
        .register(registry);
  }
}
