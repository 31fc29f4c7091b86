package dev.datamigrations.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.MigrationState;
import dev.datamigrations.runtime.MigrationStatus;
import dev.datamigrations.runtime.backfill.Backfills;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * With {@code datamigrations.detach-backfills=true} the application starts while a backfill runs;
 * the endpoint shows its progress and, when write operations are on, pauses and resumes it; the
 * metrics follow it.
 */
class DetachedBackfillTest {
  private static final int ROWS = 60;

  @Test
  void startsWhileTheBackfillRunsAndTheEndpointPausesAndResumesIt() {
    DataSource dataSource = H2.withCustomers();
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    for (int i = 0; i < ROWS; i++) {
      jdbc.update("INSERT INTO customers (name) VALUES (?)", "customer" + i);
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                DataMigrationsAutoConfiguration.class,
                DataMigrationsEndpointAutoConfiguration.class,
                DataMigrationsMetricsAutoConfiguration.class))
        .withBean(DataSource.class, () -> dataSource)
        .withBean(MigrationCatalog.class, SlowBackfillCatalog::new)
        .withBean(MeterRegistry.class, () -> registry)
        .withPropertyValues(
            "datamigrations.detach-backfills=true",
            "datamigrations.batch-size=1",
            "datamigrations.batch-pause=50ms",
            "datamigrations.actuator.write-operations=true")
        .withBean(
            DataMigrationsBackfillCustomizer.class,
            () -> b -> b.progressInterval(Duration.ofMillis(20)))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              DataMigrationsControlEndpoint endpoint =
                  context.getBean(DataMigrationsControlEndpoint.class);
              DataMigrationsEndpoint.VersionReport running =
                  endpoint.migrations().migrations().get(0);
              assertThat(running.state()).isEqualTo("RUNNING");
              assertThat(running.backfill()).isNotNull();
              // The worker counts the rows outside the run lock, after start-up may have returned:
              // 0 until then.
              BackfillPropertiesTest.awaitTrue(
                  () ->
                      endpoint.migrations().migrations().get(0).backfill().estimatedTotal()
                          == ROWS);

              assertThat(endpoint.change(SlowBackfillCatalog.VERSION, "pause").state())
                  .isEqualTo("PAUSED");
              assertThat(endpoint.migrations().migrations().get(0).backfill().state())
                  .isEqualTo("PAUSED");
              assertThat(endpoint.change(SlowBackfillCatalog.VERSION, "resume").state())
                  .isEqualTo("RUNNING");

              MigrationRunner runner = context.getBean(MigrationRunner.class);
              assertThat(Backfills.of(runner).awaitDetached(Duration.ofSeconds(60))).isTrue();
              assertThat(endpoint.migrations().migrations().get(0).state()).isEqualTo("APPLIED");
              assertThat(
                      jdbc.queryForObject(
                          "SELECT COUNT(*) FROM customers WHERE name = UPPER(name)", Integer.class))
                  .isEqualTo(ROWS);
              assertThat(
                      registry
                          .get("datamigrations.backfill.rows")
                          .tag("version", Long.toString(SlowBackfillCatalog.VERSION))
                          .gauge()
                          .value())
                  .isEqualTo(ROWS);
            });
  }

  @Test
  void closingTheContextStopsTheWorkersAndTheNextStartFinishesTheBackfill() {
    DataSource dataSource = H2.withCustomers();
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    for (int i = 0; i < ROWS; i++) {
      jdbc.update("INSERT INTO customers (name) VALUES (?)", "customer" + i);
    }
    ApplicationContextRunner contexts =
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataMigrationsAutoConfiguration.class))
            .withBean(DataSource.class, () -> dataSource)
            .withBean(MigrationCatalog.class, SlowBackfillCatalog::new)
            .withPropertyValues(
                "datamigrations.detach-backfills=true",
                "datamigrations.batch-size=1",
                "datamigrations.batch-pause=100ms");
    contexts.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(backfillThreads()).isNotEmpty();
        });
    // The context is closed: the runner bean's close stopped the workers after their batch, before
    // returning.
    assertThat(backfillThreads()).isEmpty();
    int done =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM customers WHERE name = UPPER(name)", Integer.class);
    assertThat(done).isLessThan(ROWS);
    MigrationStatus stopped =
        MigrationRunner.configure(dataSource, new SlowBackfillCatalog()).build().status().get(0);
    assertThat(stopped.state())
        .isEqualTo(MigrationState.RUNNING); // resumable, neither failed nor cancelled

    contexts
        .withPropertyValues("datamigrations.batch-pause=0ms")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(
                      Backfills.of(context.getBean(MigrationRunner.class))
                          .awaitDetached(Duration.ofSeconds(60)))
                  .isTrue();
            });
    assertThat(
            jdbc.queryForObject(
                "SELECT COUNT(*) FROM customers WHERE name = UPPER(name)", Integer.class))
        .isEqualTo(ROWS);
  }

  private static List<String> backfillThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.contains("backfill-" + SlowBackfillCatalog.VERSION))
        .toList();
  }
}
