package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.backfill.Backfills;
import static org.assertj.core.api.Assertions.assertThat;

import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationRunner;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/** The health indicator (Spring Boot 4): UP when applied, DOWN when pending or failed, details while running. */
class DataMigrationsHealthIndicatorTest {
  private final ApplicationContextRunner contexts =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(DataMigrationsAutoConfiguration.class, DataMigrationsHealthAutoConfiguration.class));

  private static Health health(org.springframework.context.ApplicationContext context) {
    return context.getBean("dataMigrationsHealthIndicator", DataMigrationsHealthIndicator.class).health();
  }

  @Test
  void upOnceEverythingIsApplied() {
    DataSource dataSource = H2.withCustomers();
    contexts
        .withBean(DataSource.class, () -> dataSource)
        .run(
            context -> {
              Health health = health(context);
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails()).containsEntry("applied", 2);
            });
  }

  @Test
  void downWhilePendingNamingTheVersion() {
    DataSource dataSource = H2.withCustomers();
    contexts
        .withBean(DataSource.class, () -> dataSource)
        .withBean(DataMigrationsStrategy.class, () -> runner -> {})
        .run(
            context -> {
              Health health = health(context);
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
              assertThat(health.getDetails().get("pending").toString())
                  .contains("20250101000000 (Seed customers, dev.datamigrations.spring.boot.testmigrations.SeedCustomers)");
            });
  }

  @Test
  void downAfterAFailureInThisProcessNamingIt() {
    DataSource dataSource = H2.withCustomers();
    new JdbcTemplate(dataSource).execute("DROP TABLE customers");
    contexts
        .withBean(DataSource.class, () -> dataSource)
        .withBean(
            DataMigrationsStrategy.class,
            () ->
                runner -> {
                  try {
                    runner.migrate();
                  } catch (RuntimeException expected) {
                    // The application chose to start anyway: health must tell.
                  }
                })
        .run(
            context -> {
              Health health = health(context);
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
              assertThat(health.getDetails().get("failed").toString()).contains("20250101000000");
            });
  }

  @Test
  void detailsTheRunningBackfill() {
    DataSource dataSource = H2.withCustomers();
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    for (int i = 0; i < 60; i++) {
      jdbc.update("INSERT INTO customers (name) VALUES (?)", "customer" + i);
    }
    contexts
        .withBean(DataSource.class, () -> dataSource)
        .withBean(MigrationCatalog.class, SlowBackfillCatalog::new)
        .withPropertyValues(
            "datamigrations.detach-backfills=true", "datamigrations.batch-size=1", "datamigrations.batch-pause=50ms")
        .run(
            context -> {
              Health running = health(context);
              assertThat(running.getStatus()).isEqualTo(Status.UP);
              assertThat((List<?>) running.getDetails().get("running")).hasSize(1);
              assertThat(Backfills.of(context.getBean(MigrationRunner.class)).awaitDetached(Duration.ofSeconds(60))).isTrue();
              assertThat(health(context).getDetails()).doesNotContainKey("running");
            });
  }
}
