package dev.datamigrations.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationListener;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.OutOfOrderMigrationException;
import dev.datamigrations.runtime.PendingMigrationsException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

/** Every condition and property of the auto-configuration, through a real context on H2. */
class DataMigrationsAutoConfigurationTest {
  private static final List<Long> BOTH = List.of(20250101000000L, 20250102000000L);

  private final ApplicationContextRunner contexts =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DataMigrationsAutoConfiguration.class,
                  DataMigrationsEndpointAutoConfiguration.class,
                  DataMigrationsMetricsAutoConfiguration.class));

  private static ApplicationContextRunner withDatabase(
      ApplicationContextRunner runner, DataSource dataSource) {
    return runner.withBean(DataSource.class, () -> dataSource);
  }

  private static List<Long> history(DataSource dataSource, String table) {
    return new JdbcTemplate(dataSource)
        .queryForList("SELECT version FROM " + table + " ORDER BY version", Long.class);
  }

  @Test
  void backsOffWithoutDataSource() {
    contexts.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(MigrationRunner.class);
          assertThat(context).doesNotHaveBean(DataMigrationsInitializer.class);
        });
  }

  @Test
  void migratesAtStartupWithTheRegistryFoundThroughServiceLoader() {
    DataSource dataSource = H2.withCustomers();
    withDatabase(contexts, dataSource)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(MigrationCatalog.class).getClass().getName())
                  .isEqualTo("dev.datamigrations.spring.boot.testmigrations.MigrationRegistry");
              assertThat(H2.customers(dataSource)).containsExactly("ADA", "LINUS");
              assertThat(history(dataSource, "data_migrations")).isEqualTo(BOTH);
            });
  }

  @Test
  void noRegistryFailsStartupSayingHowToFixIt() {
    DataSource dataSource = H2.withCustomers();
    withDatabase(
            contexts.withClassLoader(
                new FilteredClassLoader(new ClassPathResource(CatalogLoader.SERVICE_FILE))),
            dataSource)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .hasMessageContaining("found no MigrationRegistry")
                  .hasMessageContaining("datamigrations-processor")
                  .hasMessageContaining("datamigrations.enabled=false");
            });
  }

  @Test
  void disabledByPropertyRunsNothing() {
    DataSource dataSource = H2.withCustomers();
    withDatabase(contexts, dataSource)
        .withPropertyValues("datamigrations.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(MigrationRunner.class);
              assertThat(H2.customers(dataSource)).isEmpty();
            });
  }

  @Test
  void aCatalogBeanWinsOverServiceLoader() {
    DataSource dataSource = H2.withCustomers();
    withDatabase(contexts, dataSource)
        .withBean(MigrationCatalog.class, OneMigrationCatalog::new)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(H2.customers(dataSource)).containsExactly("grace");
              assertThat(history(dataSource, "data_migrations"))
                  .containsExactly(OneMigrationCatalog.VERSION);
            });
  }

  @Test
  void propertiesReachTheHistory() {
    DataSource dataSource = H2.withCustomers();
    withDatabase(contexts, dataSource)
        .withPropertyValues(
            "datamigrations.table=app_data_history",
            "datamigrations.reason=JIRA-42 seed",
            "datamigrations.operator=deploy-bot",
            "datamigrations.lock-timeout=30s",
            "datamigrations.batch-size=100",
            "datamigrations.target-batch-duration=200ms",
            "datamigrations.batch-pause=10ms",
            "datamigrations.workers=2")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(history(dataSource, "app_data_history")).isEqualTo(BOTH);
              Map<String, Object> row =
                  new JdbcTemplate(dataSource)
                      .queryForMap(
                          "SELECT reason, applied_by FROM app_data_history WHERE version = 20250101000000");
              assertThat(row.get("REASON")).isEqualTo("JIRA-42 seed");
              assertThat((String) row.get("APPLIED_BY")).contains("deploy-bot");
            });
  }

  @Test
  void schemaPropertyPutsTheHistoryThere() {
    DataSource dataSource = H2.withCustomers();
    new JdbcTemplate(dataSource).execute("CREATE SCHEMA audit");
    withDatabase(contexts, dataSource)
        .withPropertyValues("datamigrations.schema=audit")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(history(dataSource, "audit.data_migrations")).isEqualTo(BOTH);
            });
  }

  @Test
  void outOfOrderRefuseFailsStartupBeforeAnythingChanges() {
    DataSource dataSource = H2.withCustomers();
    withDatabase(contexts, dataSource).run(context -> assertThat(context).hasNotFailed());
    new JdbcTemplate(dataSource)
        .update("DELETE FROM data_migrations WHERE version = 20250101000000");
    new JdbcTemplate(dataSource).update("DELETE FROM customers");
    withDatabase(contexts, dataSource)
        .withPropertyValues("datamigrations.out-of-order=refuse")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(OutOfOrderMigrationException.class);
              assertThat(H2.customers(dataSource)).isEmpty();
            });
  }

  @Test
  void customizersRunAfterThePropertiesAndListenerBeansHearEachMigration() {
    DataSource dataSource = H2.withCustomers();
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    withDatabase(contexts, dataSource)
        .withPropertyValues("datamigrations.table=from_property")
        .withBean(
            DataMigrationsRunnerCustomizer.class, () -> builder -> builder.table("from_customizer"))
        .withBean(
            MigrationListener.class,
            () ->
                new MigrationListener() {
                  @Override
                  public void succeeded(dev.datamigrations.runtime.MigrationExecution execution) {
                    heard.add(execution.migration().description());
                  }
                })
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(history(dataSource, "from_customizer")).isEqualTo(BOTH);
              assertThat(heard).containsExactly("Seed customers", "Capitalize customer names");
            });
  }

  @Test
  void aStrategyBeanTakesOverTheRun() {
    DataSource dataSource = H2.withCustomers();
    AtomicReference<MigrationRunner> given = new AtomicReference<>();
    withDatabase(contexts, dataSource)
        .withBean(
            DataMigrationsStrategy.class,
            () ->
                runner -> {
                  given.set(runner);
                  runner.up(20250101000000L);
                })
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(given.get()).isSameAs(context.getBean(MigrationRunner.class));
              assertThat(history(dataSource, "data_migrations")).containsExactly(20250101000000L);
              assertThat(H2.customers(dataSource)).containsExactly("ada", "linus");
            });
  }

  @Test
  void verifyModeFailsStartupWhilePendingAndChangesNothing() {
    DataSource dataSource = H2.withCustomers();
    withDatabase(contexts, dataSource)
        .withPropertyValues("datamigrations.mode=verify")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(PendingMigrationsException.class)
                  .hasMessageContaining("20250101000000");
              assertThat(H2.customers(dataSource)).isEmpty();
            });
  }

  @Test
  void verifyModeStartsOnceEverythingIsApplied() {
    DataSource dataSource = H2.withCustomers();
    withDatabase(contexts, dataSource).run(context -> assertThat(context).hasNotFailed());
    withDatabase(contexts, dataSource)
        .withPropertyValues("datamigrations.mode=verify")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void migratesAtStartupUnderLazyInitialization() {
    // spring.main.lazy-initialization=true registers this post-processor; nothing here asks for the
    // initializer,
    // so a lazy one would run the migrations later, on whichever thread first used the database, or
    // never.
    DataSource dataSource = H2.withCustomers();
    withDatabase(contexts, dataSource)
        .withInitializer(
            context ->
                context.addBeanFactoryPostProcessor(
                    new LazyInitializationBeanFactoryPostProcessor()))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(history(dataSource, "data_migrations")).isEqualTo(BOTH);
              assertThat(H2.customers(dataSource)).containsExactly("ADA", "LINUS");
            });
  }

  @Test
  void aBlankTableOrUnknownHealthCheckFailsStartupNamingTheProperty() {
    for (String property :
        List.of(
            "datamigrations.table=",
            "datamigrations.table= ",
            "datamigrations.health-check=mysql")) {
      DataSource dataSource = H2.withCustomers();
      withDatabase(contexts, dataSource)
          .withPropertyValues(property)
          .run(
              context -> {
                assertThat(context).as(property).hasFailed();
                BindException bind = findCause(context.getStartupFailure(), BindException.class);
                assertThat(bind).as(property + ": " + context.getStartupFailure()).isNotNull();
                assertThat(bind.getProperty().getName().toString())
                    .isEqualTo(property.substring(0, property.indexOf('=')));
                assertThat(H2.customers(dataSource)).as(property).isEmpty();
              });
    }
  }

  @Test
  void aDatabaseThatIsDownFailsStartupQuicklyWithoutShowingThePassword() {
    // Nothing listens on port 1: the driver is refused at once; the run lock's wait must not retry
    // it for minutes.
    DataSource down =
        new org.springframework.jdbc.datasource.DriverManagerDataSource(
            "jdbc:postgresql://127.0.0.1:1/app?user=app&password=hunter2&connectTimeout=2",
            "app",
            "hunter2");
    long start = System.nanoTime();
    withDatabase(contexts, down)
        .withPropertyValues("datamigrations.lock-timeout=5m")
        .run(
            context -> {
              assertThat(context).hasFailed();
              java.io.StringWriter trace = new java.io.StringWriter();
              context.getStartupFailure().printStackTrace(new java.io.PrintWriter(trace));
              assertThat(trace.toString()).doesNotContain("hunter2");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));

    // The health check on the same database: an error Boot shows as a detail, quickly, without the
    // password.
    MigrationRunner runner = MigrationRunner.configure(down, new OneMigrationCatalog()).build();
    long checked = System.nanoTime();
    Throwable error =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> new DataMigrationsHealth(runner, new FailureRecorder()).check());
    assertThat(error).isNotNull();
    assertThat(error.toString()).doesNotContain("hunter2");
    assertThat(Duration.ofNanos(System.nanoTime() - checked)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void badPropertyValuesFailStartupNamingTheProperty() {
    for (String property :
        List.of(
            "datamigrations.batch-size=0",
            "datamigrations.workers=0",
            "datamigrations.lock-timeout=-1s",
            "datamigrations.batch-pause=-5ms",
            "datamigrations.target-batch-duration=0s",
            "datamigrations.postgres-health.max-transaction-age=-1s",
            "datamigrations.postgres-health.max-wal-rate=0B",
            "datamigrations.backfill.busy-pause=-1",
            "datamigrations.backfill.busy-pause=NaN",
            "datamigrations.mode=sometimes",
            "datamigrations.out-of-order=maybe")) {
      DataSource dataSource = H2.withCustomers();
      withDatabase(contexts, dataSource)
          .withPropertyValues(property)
          .run(
              context -> {
                assertThat(context).as(property).hasFailed();
                assertThat(context.getStartupFailure())
                    .as(property)
                    .hasRootCauseInstanceOf(IllegalArgumentException.class);
                BindException bind = findCause(context.getStartupFailure(), BindException.class);
                assertThat(bind).as(property).isNotNull();
                assertThat(bind.getProperty().getName().toString())
                    .isEqualTo(property.substring(0, property.indexOf('=')));
                assertThat(H2.customers(dataSource)).as(property).isEmpty();
              });
    }
    // The setters' own messages name the property and the rule.
    withDatabase(contexts, H2.withCustomers())
        .withPropertyValues("datamigrations.backfill.busy-pause=-0.5")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessage(
                        "datamigrations.backfill.busy-pause must be a finite multiple of at least 0 (0"
                            + " turns it off), was -0.5"));
    withDatabase(contexts, H2.withCustomers())
        .withPropertyValues("datamigrations.postgres-health.max-wal-rate=0MB")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageStartingWith(
                        "datamigrations.postgres-health.max-wal-rate must be positive"));
  }

  @Test
  void metricsCountEachMigration() {
    DataSource dataSource = H2.withCustomers();
    withDatabase(contexts, dataSource)
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(
                      registry
                          .get("datamigrations.migrations.applied")
                          .tag("version", "20250101000000")
                          .tag("direction", "up")
                          .counter()
                          .count())
                  .isEqualTo(1.0);
              assertThat(registry.get("datamigrations.migrations.duration").timer().count())
                  .isEqualTo(2);
              assertThat(runTimer(registry, "migrate", "success").count()).isEqualTo(1);
              assertThat(runTimer(registry, "migrate", "success").totalTime(TimeUnit.NANOSECONDS))
                  .isPositive();
              assertThat(registry.find("datamigrations.run.duration").timers()).hasSize(1);
            });
  }

  @Test
  void runTimerTellsAFailedVerificationApart() {
    DataSource dataSource = H2.withCustomers();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    withDatabase(contexts, dataSource)
        .withBean(MeterRegistry.class, () -> registry)
        .withPropertyValues("datamigrations.mode=verify")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(runTimer(registry, "verify", "failure").count()).isEqualTo(1);
              assertThat(registry.find("datamigrations.run.duration").timers()).hasSize(1);
            });
  }

  private static Timer runTimer(MeterRegistry registry, String verb, String outcome) {
    return registry
        .get("datamigrations.run.duration")
        .tag("verb", verb)
        .tag("outcome", outcome)
        .timer();
  }

  @Test
  void metricsCountAFailure() {
    DataSource dataSource = H2.withCustomers();
    new JdbcTemplate(dataSource).execute("DROP TABLE customers");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    withDatabase(contexts, dataSource)
        .withBean(MeterRegistry.class, () -> registry)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(
                      registry
                          .get("datamigrations.migrations.failed")
                          .tag("version", "20250101000000")
                          .counter()
                          .count())
                  .isEqualTo(1.0);
              assertThat(runTimer(registry, "migrate", "failure").count()).isEqualTo(1);
            });
  }

  @Test
  void endpointListsEveryVersionAndHasNoWriteOperationsUnlessEnabled() {
    DataSource dataSource = H2.withCustomers();
    withDatabase(contexts, dataSource)
        .run(
            context -> {
              assertThat(context).hasSingleBean(DataMigrationsEndpoint.class);
              assertThat(context).doesNotHaveBean(DataMigrationsControlEndpoint.class);
              DataMigrationsEndpoint.MigrationsReport report =
                  context.getBean(DataMigrationsEndpoint.class).migrations();
              assertThat(report.migrations())
                  .extracting(DataMigrationsEndpoint.VersionReport::version)
                  .isEqualTo(BOTH);
              DataMigrationsEndpoint.VersionReport first = report.migrations().get(0);
              assertThat(first.state()).isEqualTo("APPLIED");
              assertThat(first.className())
                  .isEqualTo("dev.datamigrations.spring.boot.testmigrations.SeedCustomers");
              assertThat(first.appliedAt()).isNotNull();
              assertThat(first.executionMs()).isNotNull();
            });
    withDatabase(contexts, H2.withCustomers())
        .withPropertyValues("datamigrations.actuator.write-operations=true")
        .run(context -> assertThat(context).hasSingleBean(DataMigrationsControlEndpoint.class));
  }

  private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
