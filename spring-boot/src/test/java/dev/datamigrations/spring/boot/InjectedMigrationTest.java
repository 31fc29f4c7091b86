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
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A migration whose {@code @Inject} constructor takes a bean: compiled here with the real processor (its registry
 * then has an {@code @Inject} constructor taking a {@code Provider} per such migration), imported as a bean,
 * and given its dependency by the context.
 */
class InjectedMigrationTest {
  private static final String MIGRATION = "com.acme.injected.StampCustomer";
  private static ClassLoader compiled;

  @BeforeAll
  static void compile() {
    Compilation compilation =
        javac()
            .withProcessors(new DataMigrationProcessor())
            .compile(
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
              assertThat(H2.customers(dataSource)).isEqualTo(List.of("at-42"));
            });
  }

  @Test
  void aMissingBeanFailsStartupNamingTheMigrationAndTheParameter() throws Exception {
    DataSource dataSource = H2.withCustomers();
    contexts(dataSource)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .hasStackTraceContaining(MIGRATION)
                  .hasStackTraceContaining("java.time.Clock");
              assertThat(H2.customers(dataSource)).isEmpty();
            });
  }
}
