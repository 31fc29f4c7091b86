package dev.datamigrations.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationKind;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.Backfills;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.KeyRange;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The {@code dataMigrations} health indicator through {@code /actuator/health/dataMigrations}, as a
 * monitor sees it: shared by Spring Boot 4 ({@code datamigrations-spring-boot}) and Spring Boot 3.5
 * ({@code datamigrations-spring-boot-actuator3}, which the starter brings; {@code
 * spring-boot3-tests} runs this).
 */
class HealthOverHttpTest {
  private static final long BACKFILL = 20240501000000L;
  private static final String[] WEB = {
    "server.port=0",
    "management.endpoints.web.exposure.include=health",
    "management.endpoint.health.show-details=always"
  };
  private final HttpClient http = HttpClient.newHttpClient();

  /** Starts nothing at start-up: the versions stay pending until the test migrates. */
  @Configuration(proxyBeanMethods = false)
  static class RunNothing {
    @Bean
    DataMigrationsStrategy runNothing() {
      return runner -> {};
    }
  }

  /** Migrates, and starts even though a migration failed. */
  @Configuration(proxyBeanMethods = false)
  static class StartDespiteFailure {
    @Bean
    DataMigrationsStrategy startDespiteFailure() {
      return runner -> {
        try {
          runner.migrate();
        } catch (RuntimeException expected) {
          // The application chose to start anyway: health must tell.
        }
      };
    }
  }

  /** Holds the backfill's first batch until the test opens it. */
  private static final CountDownLatch GATE = new CountDownLatch(1);

  /** A backfill whose first batch waits for {@link #GATE}, instead of the registry's migrations. */
  @Configuration(proxyBeanMethods = false)
  static class GatedBackfill {
    @Bean
    MigrationCatalog gatedBackfill() {
      return new MigrationCatalog() {
        @Override
        public List<MigrationDescriptor> descriptors() {
          return List.of(
              new MigrationDescriptor(
                  BACKFILL,
                  "Capitalize names behind a gate",
                  GatedBackfill.class.getName(),
                  false,
                  false,
                  MigrationKind.BACKFILL));
        }

        @Override
        public Migration instantiate(int index) {
          return new Backfill() {
            @Override
            public KeyRange keys() {
              return KeyRange.of("customers", "id");
            }

            @Override
            public void process(Handle handle, Batch batch) {
              try {
                assertThat(GATE.await(60, TimeUnit.SECONDS)).as("gate opened").isTrue();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              handle.execute(
                  "UPDATE customers SET name = UPPER(name) WHERE id BETWEEN ? AND ?",
                  batch.first(),
                  batch.last());
            }
          };
        }
      };
    }
  }

  private static ConfigurableApplicationContext start(
      Class<?> extra, String url, String... properties) {
    String[] all = new String[WEB.length + properties.length];
    System.arraycopy(WEB, 0, all, 0, WEB.length);
    System.arraycopy(properties, 0, all, WEB.length, properties.length);
    return TestApp.start(new Class<?>[] {extra}, WebApplicationType.SERVLET, url, all);
  }

  private record Answer(int status, Map<String, Object> body) {
    @SuppressWarnings("unchecked")
    Map<String, Object> details() {
      return (Map<String, Object>) body.get("details");
    }
  }

  private Answer health(ConfigurableApplicationContext context) throws Exception {
    String url =
        "http://127.0.0.1:"
            + context.getEnvironment().getProperty("local.server.port")
            + "/actuator/health/dataMigrations";
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(
        response.statusCode(), JsonParserFactory.getJsonParser().parseMap(response.body()));
  }

  @Test
  void downWhilePendingNamingTheVersionThenUpOnceApplied() throws Exception {
    try (ConfigurableApplicationContext context =
        start(RunNothing.class, TestApp.newH2(), "spring.flyway.enabled=true")) {
      Answer pending = health(context);
      assertThat(pending.status()).isEqualTo(503);
      assertThat(pending.body()).containsEntry("status", "DOWN");
      assertThat(pending.details().get("pending").toString())
          .contains(
              "20250101000000 (Seed customers, dev.datamigrations.spring.boot.testmigrations.SeedCustomers)");

      context.getBean(MigrationRunner.class).migrate();
      Answer applied = health(context);
      assertThat(applied.status()).isEqualTo(200);
      assertThat(applied.body()).containsEntry("status", "UP");
      assertThat(applied.details()).containsEntry("applied", 2).doesNotContainKey("pending");
    }
  }

  @Test
  void downAfterAFailureInThisProcessNamingIt() throws Exception {
    // 'ada' is there already and names are unique: the first migration's insert fails.
    String url = TestApp.newH2();
    JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(url, "sa", ""));
    jdbc.execute(
        "CREATE TABLE customers (id INT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name VARCHAR(100) UNIQUE)");
    jdbc.update("INSERT INTO customers (name) VALUES ('ada')");
    try (ConfigurableApplicationContext context = start(StartDespiteFailure.class, url)) {
      Answer failed = health(context);
      assertThat(failed.status()).isEqualTo(503);
      assertThat(failed.body()).containsEntry("status", "DOWN");
      assertThat(failed.details().get("failed").toString()).contains("20250101000000");
    }
  }

  /** The failing backfill's catalog, instead of the registry's migrations. */
  private static final FailingBackfillCatalog FAILING = new FailingBackfillCatalog();

  @Configuration(proxyBeanMethods = false)
  static class FailingBackfill {
    @Bean
    MigrationCatalog failingBackfill() {
      return FAILING;
    }

    @Bean
    DataMigrationsStrategy runNothing() {
      return runner -> {};
    }
  }

  @Test
  void downWhileABackfillIsFailedInAnyProcessWithItsErrorsThenUpOnceResumedAndDone()
      throws Exception {
    String url = TestApp.newH2();
    DriverManagerDataSource dataSource = new DriverManagerDataSource(url, "sa", "");
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    jdbc.execute(
        "CREATE TABLE customers (id INT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name VARCHAR(100))");
    jdbc.update("INSERT INTO customers (name) SELECT 'c' || X FROM SYSTEM_RANGE(1, 5)");
    // Another process ran the backfill and it failed: this application heard nothing of it.
    try (MigrationRunner other =
        MigrationRunner.configure(dataSource, FAILING)
            .with(
                dev.datamigrations.runtime.backfill.BackfillSettings.builder()
                    .batchSize(1)
                    .maxAttempts(1)
                    .build())
            .build()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(other::migrate)
          .isInstanceOf(dev.datamigrations.runtime.backfill.BackfillFailedException.class);
    }
    try (ConfigurableApplicationContext context = start(FailingBackfill.class, url)) {
      Answer failed = health(context);
      assertThat(failed.status()).isEqualTo(503);
      assertThat(failed.body()).containsEntry("status", "DOWN");
      assertThat(failed.details()).doesNotContainKey("failed");
      assertThat(failed.details().toString()).doesNotContain(FailingBackfillCatalog.SECRET);
      assertThat((List<?>) failed.details().get("failedBackfills"))
          .singleElement()
          .asString()
          .contains("version=" + FailingBackfillCatalog.VERSION)
          .contains(
              "batch 3, attempt 1: java.lang.IllegalStateException: customer 3 cannot be"
                  + " capitalized")
          .contains("its last attempt (1 of 1): the backfill failed");

      FAILING.broken.set(false);
      MigrationRunner runner = context.getBean(MigrationRunner.class);
      Backfills.of(runner).resume(FailingBackfillCatalog.VERSION);
      runner.migrate();
      Answer done = health(context);
      assertThat(done.status()).isEqualTo(200);
      assertThat(done.body()).containsEntry("status", "UP");
      assertThat(done.details()).containsEntry("applied", 1).doesNotContainKey("failedBackfills");
    }
  }

  @Test
  void upWithTheRunningBackfillAsDetailThenWithout() throws Exception {
    String url = TestApp.newH2();
    JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(url, "sa", ""));
    jdbc.execute(
        "CREATE TABLE customers (id INT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name VARCHAR(100))");
    jdbc.update("INSERT INTO customers (name) SELECT 'c' || X FROM SYSTEM_RANGE(1, 5)");
    try (ConfigurableApplicationContext context =
        start(
            GatedBackfill.class,
            url,
            "datamigrations.detach-backfills=true",
            "datamigrations.batch-size=5")) {
      Answer running = health(context);
      assertThat(running.status()).isEqualTo(200);
      assertThat(running.body()).containsEntry("status", "UP");
      assertThat((List<?>) running.details().get("running"))
          .singleElement()
          .asString()
          .startsWith(BACKFILL + ": ");

      GATE.countDown();
      assertThat(
              Backfills.of(context.getBean(MigrationRunner.class))
                  .awaitDetached(Duration.ofSeconds(60)))
          .isTrue();
      Answer done = health(context);
      assertThat(done.body()).containsEntry("status", "UP");
      assertThat(done.details()).containsEntry("applied", 1).doesNotContainKey("running");
    }
  }
}
