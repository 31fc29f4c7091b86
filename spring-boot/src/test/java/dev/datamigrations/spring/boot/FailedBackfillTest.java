package dev.datamigrations.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.Backfills;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A backfill whose batches fail past its attempts becomes FAILED in the background of a started
 * application: the health check is DOWN with its latest errors (no secret, no keys), the endpoint
 * shows FAILED with the recorded attempts, the metrics count the attempts and flag the backfill,
 * and after the fix the endpoint's {@code resume} lets the next {@code migrate} finish it, after
 * which everything is back to UP. Shared by Spring Boot 4 and 3.5 ({@code spring-boot3-tests}).
 */
class FailedBackfillTest {
  private static final long VERSION = FailingBackfillCatalog.VERSION;

  @Test
  void aFailedBackfillIsDownWithItsErrorsShownByTheEndpointCountedAndResumedAfterTheFix() {
    DataSource dataSource = H2.withCustomers();
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    jdbc.update("INSERT INTO customers (name) SELECT 'c' || X FROM SYSTEM_RANGE(1, 5)");
    FailingBackfillCatalog catalog = new FailingBackfillCatalog();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                DataMigrationsAutoConfiguration.class,
                DataMigrationsEndpointAutoConfiguration.class,
                DataMigrationsMetricsAutoConfiguration.class))
        .withBean(DataSource.class, () -> dataSource)
        .withBean(MigrationCatalog.class, () -> catalog)
        .withBean(MeterRegistry.class, () -> registry)
        .withBean(
            DataMigrationsBackfillCustomizer.class,
            () ->
                b ->
                    b.maxAttempts(2)
                        .retryBackoff(Duration.ofMillis(1))
                        .progressInterval(Duration.ofMillis(20)))
        .withPropertyValues(
            "datamigrations.detach-backfills=true",
            "datamigrations.batch-size=1",
            "datamigrations.actuator.write-operations=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              MigrationRunner runner = context.getBean(MigrationRunner.class);
              assertThat(Backfills.of(runner).awaitDetached(Duration.ofSeconds(60))).isTrue();
              assertThat(Backfills.of(runner).progress(VERSION).orElseThrow().state())
                  .isEqualTo(BackfillState.FAILED);
              DataMigrationsHealth health =
                  new DataMigrationsHealth(runner, context.getBean(FailureRecorder.class));

              // Health: DOWN, naming the backfill with its latest errors, newest first.
              DataMigrationsHealth.Report down = health.check();
              assertThat(down.up()).isFalse();
              assertThat(down.details().toString()).doesNotContain(FailingBackfillCatalog.SECRET);
              @SuppressWarnings("unchecked")
              List<Map<String, Object>> failed =
                  (List<Map<String, Object>>) down.details().get("failedBackfills");
              assertThat(failed).hasSize(1);
              assertThat(failed.get(0))
                  .containsEntry("version", VERSION)
                  .containsEntry("className", FailingBackfillCatalog.class.getName());
              assertThat(failed.get(0).get("progress").toString()).endsWith("failed");
              assertThat((List<?>) failed.get(0).get("errors"))
                  .hasSize(2)
                  .first()
                  .asString()
                  .startsWith(
                      "batch 3, attempt 2: java.lang.IllegalStateException: customer 3 cannot be"
                          + " capitalized (")
                  .endsWith("its last attempt (2 of 2): the backfill failed")
                  .doesNotContain(" to "); // no keys: they may be data

              // Endpoint: FAILED, with the recorded attempts.
              DataMigrationsControlEndpoint endpoint =
                  context.getBean(DataMigrationsControlEndpoint.class);
              DataMigrationsEndpoint.VersionReport report =
                  endpoint.migrations().migrations().get(0);
              assertThat(report.state()).isEqualTo("FAILED");
              assertThat(report.backfill().state()).isEqualTo("FAILED");
              assertThat(report.backfill().rowsDone()).isEqualTo(2);
              assertThat(report.backfill().failures())
                  .extracting(
                      DataMigrationsEndpoint.FailureReport::batch,
                      DataMigrationsEndpoint.FailureReport::keys,
                      DataMigrationsEndpoint.FailureReport::attempt)
                  .containsExactly(
                      org.assertj.core.groups.Tuple.tuple(3L, "3 to 3", 2),
                      org.assertj.core.groups.Tuple.tuple(3L, "3 to 3", 1));
              assertThat(report.backfill().failures().get(0).message())
                  .contains("customer 3 cannot be capitalized")
                  .doesNotContain(FailingBackfillCatalog.SECRET);

              // Metrics: both attempts counted, the backfill flagged, its failure counted once.
              assertThat(batchFailures(registry)).isEqualTo(2.0);
              await().atMost(Duration.ofSeconds(20)).until(() -> failedGauge(registry) == 1.0);
              assertThat(
                      registry
                          .get("datamigrations.migrations.failed")
                          .tag("version", Long.toString(VERSION))
                          .counter()
                          .count())
                  .isEqualTo(1.0);

              // The fix, then resume through the endpoint, then the next migrate finishes it.
              catalog.broken.set(false);
              DataMigrationsEndpoint.BackfillReport resumed = endpoint.change(VERSION, "resume");
              assertThat(resumed.state()).isEqualTo("RUNNING");
              assertThat(resumed.failures()).isEmpty();
              runner.migrate();
              assertThat(Backfills.of(runner).awaitDetached(Duration.ofSeconds(60))).isTrue();
              assertThat(endpoint.migrations().migrations().get(0).state()).isEqualTo("APPLIED");
              assertThat(H2.customers(dataSource)).containsExactly("C1", "C2", "C3", "C4", "C5");
              DataMigrationsHealth.Report up = health.check();
              assertThat(up.up()).as(up.details().toString()).isTrue();
              assertThat(up.details()).doesNotContainKeys("failedBackfills", "failed");
              await().atMost(Duration.ofSeconds(20)).until(() -> failedGauge(registry) == 0.0);
              assertThat(batchFailures(registry)).isEqualTo(2.0);
            });
  }

  private static double batchFailures(MeterRegistry registry) {
    return registry
        .get("datamigrations.backfill.batch.failures")
        .tag("version", Long.toString(VERSION))
        .counter()
        .count();
  }

  private static double failedGauge(MeterRegistry registry) {
    return registry
        .get("datamigrations.backfill.failed")
        .tag("version", Long.toString(VERSION))
        .gauge()
        .value();
  }
}
