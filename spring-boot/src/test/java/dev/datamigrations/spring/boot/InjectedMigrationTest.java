package dev.datamigrations.spring.boot;

import static com.google.testing.compile.Compiler.javac;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.datamigrations.processor.DataMigrationProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A migration whose {@code @Inject} constructor takes a bean: compiled here with the real processor (its registry
 * then has an {@code @Inject} constructor taking a {@code Provider} per such migration), imported as a bean,
 * and given its dependency by the context.
 */
class InjectedMigrationTest {
  private static final String MIGRATION = "com.acme.injected.StampCustomer";
  private static final String PLAIN = "com.acme.injected.SeedCustomer";
  private static final String MISSING =
      "Data migration 20250301000000 (Stamp a customer, com.acme.injected.StampCustomer) cannot be created:"
          + " parameter 'clock' (java.time.Clock) of its @Inject constructor cannot be resolved";
  private static ClassLoader compiled;

  @BeforeAll
  static void compile() {
    Compilation compilation =
        javac()
            .withProcessors(new DataMigrationProcessor())
            // As Spring Boot's Maven and Gradle plugins compile: parameter names are kept.
            .withOptions("-parameters")
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
    assertThat(compilation.status()).as(compilation.diagnostics().toString()).isEqualTo(Compilation.Status.SUCCESS);
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() == JavaFileObject.Kind.CLASS) {
        String path = file.toUri().getPath();
        String name = path.substring(path.indexOf("/com/") + 1, path.length() - ".class".length()).replace('/', '.');
        try (InputStream in = file.openInputStream()) {
          classes.put(name, in.readAllBytes());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    compiled =
        new ClassLoader(InjectedMigrationTest.class.getClassLoader()) {
          @Override
          protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
              throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
          }
        };
  }

  private static ApplicationContextRunner contexts(DataSource dataSource) throws ClassNotFoundException {
    Class<?> registry = compiled.loadClass("com.acme.injected.MigrationRegistry");
    return new ApplicationContextRunner()
        .withClassLoader(compiled)
        .withConfiguration(AutoConfigurations.of(DataMigrationsAutoConfiguration.class))
        .withBean(DataSource.class, () -> dataSource)
        // What @Import(MigrationRegistry.class) on the application does.
        .withUserConfiguration(registry);
  }

  @Test
  void theMigrationGetsItsBeanFromTheContext() throws Exception {
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
  void aMissingBeanFailsStartupBeforeAnyMigrationRunsNamingTheMigrationAndTheParameter() throws Exception {
    DataSource dataSource = H2.withCustomers();
    contexts(dataSource)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure()).hasStackTraceContaining(MISSING);
              // The plain migration comes first and would have run if the check waited for the injected one.
              assertThat(H2.customers(dataSource)).isEmpty();
              assertThat(history(dataSource)).isEmpty();
            });
  }

  @Test
  void aMissingBeanFailsStartupInVerifyModeAndOnceEverythingIsApplied() throws Exception {
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
  void aBeanThatDependsOnDatabaseInitializationFailsStartupBeforeAnyMigrationRuns() throws Exception {
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
            "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(TABLE_NAME) = 'DATA_MIGRATIONS'", Integer.class);
    return tables == 0
        ? List.of()
        : jdbc.queryForList("SELECT version FROM data_migrations ORDER BY version", Long.class);
  }
}
