package dev.datamigrations.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.datamigrations.processor.TestSources.migration;

import com.google.testing.compile.Compilation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import javax.tools.JavaFileObject;
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The plain and the Dagger-injected registry have one shape: the same public methods, static on the
 * plain one (the contract: {@code MigrationRegistry.run(jdbi)}), instance methods on the injected
 * one; and an application that calls {@code configure}, {@code runner} or {@code run} on an
 * instance compiles against both and migrates (on H2, the history table checked).
 */
class RegistryShapeTest {
  private static final List<String> ENTRY_POINTS = List.of("configure", "runner", "run");
  private static final AtomicInteger DATABASES = new AtomicInteger();

  /** Calls each entry point on an instance of whichever registry was generated. */
  private static final JavaFileObject APPLICATION =
      TestSources.source(
          "com.acme.Application",
          "package com.acme;",
          "import dev.datamigrations.runtime.MigrateResult;",
          "import javax.sql.DataSource;",
          "import org.jdbi.v3.core.Jdbi;",
          "public final class Application {",
          "  public static MigrateResult viaConfigure(MigrationRegistry registry, Jdbi jdbi) {",
          "    return registry.configure(jdbi).reason(\"shape test\").build().migrate();",
          "  }",
          "  public static MigrateResult viaRunner(MigrationRegistry registry, Jdbi jdbi) {",
          "    return registry.runner(jdbi).migrate();",
          "  }",
          "  public static MigrateResult viaRun(MigrationRegistry registry, Jdbi jdbi) {",
          "    return registry.run(jdbi);",
          "  }",
          "  public static MigrateResult viaDataSource(MigrationRegistry registry, DataSource dataSource) {",
          "    return registry.run(dataSource);",
          "  }",
          "}");

  private static CompiledClasses plain() {
    Compilation compilation =
        TestSources.compile(
            migration("com.acme", "PlainOne", 1),
            migration("com.acme", "PlainTwo", 2),
            APPLICATION);
    assertThat(compilation).succeededWithoutWarnings();
    return CompiledClasses.of(compilation);
  }

  private static CompiledClasses injected() {
    Compilation compilation =
        InjectionTest.compileWithDagger(
            InjectionTest.greeter("javax.inject"),
            InjectionTest.injectedMigration("javax.inject"), // version 2
            migration("com.acme", "PlainOne", 1),
            InjectionTest.COMPONENT,
            APPLICATION);
    assertThat(compilation).succeeded();
    return CompiledClasses.of(compilation);
  }

  private static Set<String> publicMethods(Class<?> type) {
    return Arrays.stream(type.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()))
        .map(
            m ->
                m.getReturnType().getName()
                    + " "
                    + m.getName()
                    + Arrays.stream(m.getParameterTypes())
                        .map(Class::getName)
                        .collect(Collectors.joining(",", "(", ")")))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void bothFlavoursOfferTheSameMethods() {
    Class<?> plain = plain().load("com.acme.MigrationRegistry");
    Class<?> injected = injected().load("com.acme.MigrationRegistry");

    // The same methods, plus the static factory through which a container other than Dagger creates
    // it.
    Set<String> expected = new TreeSet<>(publicMethods(plain));
    expected.add(
        "com.acme.MigrationRegistry withDependencies(dev.datamigrations.runtime.MigrationDependencies)");
    assertThat(publicMethods(injected)).isEqualTo(expected);
    assertThat(publicMethods(plain))
        .containsAtLeast(
            "dev.datamigrations.runtime.MigrationRunner$Builder configure(org.jdbi.v3.core.Jdbi)",
            "dev.datamigrations.runtime.MigrationRunner runner(org.jdbi.v3.core.Jdbi)",
            "dev.datamigrations.runtime.MigrateResult run(org.jdbi.v3.core.Jdbi)",
            "dev.datamigrations.runtime.MigrateResult run(javax.sql.DataSource)");
    for (Method method : plain.getDeclaredMethods()) {
      if (ENTRY_POINTS.contains(method.getName())) {
        assertThat(Modifier.isStatic(method.getModifiers()))
            .isTrue(); // MigrationRegistry.run(jdbi)
      }
    }
    for (Method method : injected.getDeclaredMethods()) {
      if (ENTRY_POINTS.contains(method.getName())) {
        assertThat(Modifier.isStatic(method.getModifiers()))
            .isFalse(); // component.migrations().run(jdbi)
      }
    }
  }

  @Test
  void anApplicationCallingAnInstanceMigratesWithThePlainRegistry() throws Exception {
    CompiledClasses classes = plain();
    Object registry = classes.plainRegistry("com.acme.MigrationRegistry");
    assertEveryEntryPointMigrates(classes, registry);
  }

  @Test
  void anApplicationCallingAnInstanceMigratesWithTheInjectedRegistry() throws Exception {
    CompiledClasses classes = injected();
    Object component = classes.load("com.acme.DaggerApp").getMethod("create").invoke(null);
    Object registry = classes.load("com.acme.App").getMethod("migrations").invoke(component);
    assertEveryEntryPointMigrates(classes, registry);
  }

  private static void assertEveryEntryPointMigrates(CompiledClasses classes, Object registry)
      throws Exception {
    Class<?> application = classes.load("com.acme.Application");
    Class<?> registryClass = classes.load("com.acme.MigrationRegistry");
    for (String entry : List.of("viaConfigure", "viaRunner", "viaRun")) {
      DataSource database = freshDatabase();
      application
          .getMethod(entry, registryClass, Jdbi.class)
          .invoke(null, registry, Jdbi.create(database));
      assertWithMessage(entry).that(appliedVersions(database)).containsExactly(1L, 2L).inOrder();
    }
    DataSource database = freshDatabase();
    application
        .getMethod("viaDataSource", registryClass, DataSource.class)
        .invoke(null, registry, database);
    assertWithMessage("viaDataSource")
        .that(appliedVersions(database))
        .containsExactly(1L, 2L)
        .inOrder();
  }

  private static DataSource freshDatabase() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:shape" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    dataSource.setUser("sa");
    return dataSource;
  }

  private static List<Long> appliedVersions(DataSource database) {
    return Jdbi.create(database)
        .withHandle(
            handle ->
                handle
                    .createQuery("SELECT version FROM data_migrations ORDER BY version")
                    .mapTo(Long.class)
                    .list());
  }
}
