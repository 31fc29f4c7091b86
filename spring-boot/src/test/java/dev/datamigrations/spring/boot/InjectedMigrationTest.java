package dev.datamigrations.spring.boot;

import static com.google.testing.compile.Compiler.javac;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.datamigrations.processor.DataMigrationProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A migration whose {@code @Inject} constructor takes a bean: compiled here with the real processor
 * (its registry then has a {@code Factory} registered for {@code ServiceLoader}, which lists the
 * constructor's parameters and creates the migration with {@code new}), found by the
 * auto-configuration without an {@code @Import}, and given its dependency by the context. Compiled
 * without {@code -parameters}: the names come from the source.
 */
class InjectedMigrationTest {
  private static final String MIGRATION = "com.acme.injected.StampCustomer";
  private static final String PLAIN = "com.acme.injected.SeedCustomer";
  private static final String MISSING =
      "Data migration 20250301000000 (Stamp a customer, com.acme.injected.StampCustomer) cannot be created:"
          + " parameter 'clock' (java.time.Clock) of its @Inject constructor cannot be resolved";
  @TempDir static Path output;
  private static ClassLoader compiled;

  @BeforeAll
  static void compile() {
    Compilation compilation =
        javac()
            .withProcessors(new DataMigrationProcessor())
            .compile(
                JavaFileObjects.forSourceLines(
                    PLAIN,
                    "package com.acme.injected;",
                    "",
                    "import dev.datamigrations.DataMigration;",
                    "import dev.datamigrations.runtime.Migration;",
                    "import org.jdbi.v3.core.Handle;",
                    "",
                    "@DataMigration(version = 20250201000000L, description = \"Seed a customer\")",
                    "public final class SeedCustomer implements Migration {",
                    "  @Override",
                    "  public void up(Handle handle) {",
                    "    handle.execute(\"INSERT INTO customers (name) VALUES ('plain')\");",
                    "  }",
                    "}"),
                JavaFileObjects.forSourceLines(
                    MIGRATION,
                    "package com.acme.injected;",
                    "",
                    "import dev.datamigrations.DataMigration;",
                    "import dev.datamigrations.runtime.Migration;",
                    "import jakarta.inject.Inject;",
                    "import java.time.Clock;",
                    "import org.jdbi.v3.core.Handle;",
                    "",
                    "@DataMigration(version = 20250301000000L, description = \"Stamp a customer\")",
                    "public final class StampCustomer implements Migration {",
                    "  private final Clock clock;",
                    "",
                    "  @Inject",
                    "  public StampCustomer(Clock clock) {",
                    "    this.clock = clock;",
                    "  }",
                    "",
                    "  @Override",
                    "  public void up(Handle handle) {",
                    "    handle.execute(\"INSERT INTO customers (name) VALUES (?)\", \"at-\" + clock.millis());",
                    "  }",
                    "}"));
    assertThat(compilation.status())
        .as(compilation.diagnostics().toString())
        .isEqualTo(Compilation.Status.SUCCESS);
    // Class files and the META-INF/services entries, as the application's jar would hold them.
    String marker = "/CLASS_OUTPUT/";
    for (JavaFileObject file : compilation.generatedFiles()) {
      String path = file.toUri().getPath();
      if (!path.contains(marker)) {
        continue; // generated sources
      }
      Path target = output.resolve(path.substring(path.indexOf(marker) + marker.length()));
      try (InputStream in = file.openInputStream()) {
        Files.createDirectories(target.getParent());
        Files.copy(in, target);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    // Hides this module's own test registry (of testmigrations), so that the compiled one is the
    // only one.
    ClassLoader withoutTestRegistry =
        new FilteredClassLoader(
            new ClassPathResource(CatalogLoader.SERVICE_FILE),
            new ClassPathResource(CatalogLoader.FACTORY_SERVICE_FILE));
    try {
      compiled = new URLClassLoader(new URL[] {output.toUri().toURL()}, withoutTestRegistry);
    } catch (MalformedURLException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An application with the compiled migrations and the starter: no {@code @Import} of the
   * registry.
   */
  private static ApplicationContextRunner contexts(DataSource dataSource) {
    return new ApplicationContextRunner()
        .withClassLoader(compiled)
        .withConfiguration(AutoConfigurations.of(DataMigrationsAutoConfiguration.class))
        .withBean(DataSource.class, () -> dataSource);
  }

  @Test
  void theMigrationGetsItsBeanFromTheContext() {
    DataSource dataSource = H2.withCustomers();
    contexts(dataSource)
        .withBean(Clock.class, () -> Clock.fixed(Instant.ofEpochMilli(42), ZoneOffset.UTC))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(H2.customers(dataSource)).isEqualTo(List.of("plain", "at-42"));
            });
  }

  @Test
  void springNeitherRegistersNorConstructsTheMigrationClasses() throws Exception {
    DataSource dataSource = H2.withCustomers();
    Class<?> migration = compiled.loadClass(MIGRATION);
    contexts(dataSource)
        .withBean(Clock.class, () -> Clock.fixed(Instant.ofEpochMilli(42), ZoneOffset.UTC))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(H2.customers(dataSource)).contains("at-42");
              // Created with new by the generated factory, not as a bean (which Spring builds
              // reflectively).
              assertThat(context.getBeanNamesForType(migration)).isEmpty();
              assertThat(context.getBeanDefinitionNames())
                  .noneMatch(
                      name ->
                          context.getBeanFactory().getBeanDefinition(name).getBeanClassName()
                                  != null
                              && context
                                  .getBeanFactory()
                                  .getBeanDefinition(name)
                                  .getBeanClassName()
                                  .startsWith("com.acme"));
            });
  }

  @Test
  void anInjectedRegistryRegisteredByItsClassFailsStartupSayingToRemoveIt() throws Exception {
    DataSource dataSource = H2.withCustomers();
    contexts(dataSource)
        .withBean(Clock.class, () -> Clock.fixed(Instant.ofEpochMilli(42), ZoneOffset.UTC))
        // What @Import(MigrationRegistry.class) on the application does.
        .withUserConfiguration(compiled.loadClass("com.acme.injected.MigrationRegistry"))
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .hasStackTraceContaining(
                      "is the generated com.acme.injected.MigrationRegistry, registered by its class (e.g."
                          + " @Import(MigrationRegistry.class))")
                  .hasStackTraceContaining("No data migration was run.");
              assertThat(H2.customers(dataSource)).isEmpty();
              assertThat(history(dataSource)).isEmpty();
            });
  }

  @Test
  void anAmbiguousBeanFailsStartupBeforeAnyMigrationRunsNamingTheMigrationAndTheParameter() {
    DataSource dataSource = H2.withCustomers();
    contexts(dataSource)
        .withBean("utc", Clock.class, Clock::systemUTC)
        .withBean("paris", Clock.class, () -> Clock.system(ZoneOffset.ofHours(1)))
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .hasStackTraceContaining(MISSING)
                  .hasStackTraceContaining("expected single matching bean but found 2")
                  .hasStackTraceContaining("No data migration was run.");
              assertThat(H2.customers(dataSource)).isEmpty();
              assertThat(history(dataSource)).isEmpty();
            });
  }

  @Test
  void aMissingBeanFailsStartupBeforeAnyMigrationRunsNamingTheMigrationAndTheParameter() {
    DataSource dataSource = H2.withCustomers();
    contexts(dataSource)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure()).hasStackTraceContaining(MISSING);
              // The plain migration comes first and would have run if the check waited for the
              // injected one.
              assertThat(H2.customers(dataSource)).isEmpty();
              assertThat(history(dataSource)).isEmpty();
            });
  }

  @Test
  void aMissingBeanFailsStartupInVerifyModeAndOnceEverythingIsApplied() {
    DataSource dataSource = H2.withCustomers();
    contexts(dataSource)
        .withBean(Clock.class, () -> Clock.fixed(Instant.ofEpochMilli(42), ZoneOffset.UTC))
        .run(context -> assertThat(context).hasNotFailed());
    assertThat(history(dataSource)).containsExactly(20250201000000L, 20250301000000L);
    for (String mode : List.of("migrate", "verify")) {
      contexts(dataSource)
          .withPropertyValues("datamigrations.mode=" + mode)
          .run(
              context -> {
                assertThat(context).as(mode).hasFailed();
                assertThat(context.getStartupFailure()).as(mode).hasStackTraceContaining(MISSING);
              });
    }
  }

  /** A bean created only after database initialization, as JdbcTemplate and JPA are. */
  @Configuration(proxyBeanMethods = false)
  static class ClockAfterDatabaseInitialization {
    @Bean
    @DependsOnDatabaseInitialization
    Clock clock() {
      return Clock.fixed(Instant.ofEpochMilli(42), ZoneOffset.UTC);
    }
  }

  @Test
  void aBeanThatDependsOnDatabaseInitializationFailsStartupBeforeAnyMigrationRuns() {
    DataSource dataSource = H2.withCustomers();
    contexts(dataSource)
        .withUserConfiguration(ClockAfterDatabaseInitialization.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .hasStackTraceContaining(MISSING)
                  .hasStackTraceContaining("That bean depends on database initialization");
              assertThat(H2.customers(dataSource)).isEmpty();
            });
  }

  private static List<Long> history(DataSource dataSource) {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    Integer tables =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(TABLE_NAME) = 'DATA_MIGRATIONS'",
            Integer.class);
    return tables == 0
        ? List.of()
        : jdbc.queryForList("SELECT version FROM data_migrations ORDER BY version", Long.class);
  }
}
