package dev.datamigrations.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.datamigrations.processor.GenerationTest.contents;
import static dev.datamigrations.processor.GenerationTest.resource;
import static dev.datamigrations.processor.GenerationTest.writeActual;
import static dev.datamigrations.processor.TestSources.migration;
import static dev.datamigrations.processor.TestSources.source;
import static dev.datamigrations.runtime.MigrationDescriptor.Reversibility.IRREVERSIBLE;
import static dev.datamigrations.runtime.MigrationDescriptor.Transaction.TRANSACTIONAL;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import dagger.internal.codegen.ComponentProcessor;
import dev.datamigrations.processor.internal.InjectionValidator;
import dev.datamigrations.processor.internal.Messages;
import dev.datamigrations.processor.internal.ServiceFile;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationCatalogFactory;
import dev.datamigrations.runtime.MigrationDependency;
import dev.datamigrations.runtime.MigrationDescriptor;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations with {@code @Inject} constructors, compiled with Dagger's processor beside ours and
 * run through the component Dagger generates. Dagger 2.60 brings both javax.inject and
 * jakarta.inject, so both flavours are tested; and the limit on injected migrations, on both sides.
 */
class InjectionTest {

  static JavaFileObject greeter(String inject) {
    return source(
        "com.acme.Greeter",
        "package com.acme;",
        "public class Greeter {",
        "  @" + inject + ".Inject public Greeter() {}",
        "}");
  }

  static JavaFileObject injectedMigration(String inject) {
    return source(
        "com.acme.SeedGreetings",
        "package com.acme;",
        "",
        "import dev.datamigrations.DataMigration;",
        "import dev.datamigrations.runtime.Migration;",
        "import org.jdbi.v3.core.Handle;",
        "",
        "@DataMigration(version = 2L)",
        "public class SeedGreetings implements Migration {",
        "  private final Greeter greeter;",
        "  @"
            + inject
            + ".Inject public SeedGreetings(Greeter greeter) { this.greeter = greeter; }",
        "  @Override public void up(Handle handle) {}",
        "}");
  }

  static final JavaFileObject COMPONENT =
      source(
          "com.acme.App",
          "package com.acme;",
          "@dagger.Component",
          "public interface App {",
          "  MigrationRegistry migrations();",
          "}");

  private static final JavaFileObject USES_COMPONENT =
      source(
          "com.acme.Main",
          "package com.acme;",
          "import dev.datamigrations.runtime.MigrateResult;",
          "import org.jdbi.v3.core.Jdbi;",
          "class Main {",
          "  static MigrateResult migrate(Jdbi jdbi) {",
          "    return DaggerApp.create().migrations().run(jdbi);",
          "  }",
          "}");

  static Compilation compileWithDagger(JavaFileObject... sources) {
    return javac()
        .withProcessors(new DataMigrationProcessor(), new ComponentProcessor())
        .compile(sources);
  }

  @Test
  void injectedSetWorksWithADaggerComponent_javax() throws Exception {
    Compilation compilation =
        compileWithDagger(
            greeter("javax.inject"),
            injectedMigration("javax.inject"),
            migration("com.acme", "PlainOne", 1),
            COMPONENT,
            USES_COMPONENT);
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .hadNoteContaining(
            Messages.INJECTED_REGISTRY.format(
                "com.acme.MigrationRegistry", "com.acme.SeedGreetings"));
    String registry =
        contents(compilation, JavaFileObject.Kind.SOURCE, "com/acme/MigrationRegistry.java");
    writeActual("InjectedMigrationRegistry.java", registry);
    assertThat(registry).isEqualTo(resource("/golden/InjectedMigrationRegistry.java"));
    assertCreatedThroughDagger(
        CompiledClasses.of(compilation), javax.inject.Inject.class, javax.inject.Provider.class);
    boolean serviceEntry =
        compilation.generatedFiles().stream()
            .anyMatch(f -> f.toUri().getPath().endsWith(ServiceFile.PATH));
    assertThat(serviceEntry).isFalse();
  }

  @Test
  void injectedSetWorksWithADaggerComponent_jakarta() throws Exception {
    Compilation compilation =
        compileWithDagger(
            greeter("jakarta.inject"),
            injectedMigration("jakarta.inject"),
            migration("com.acme", "PlainOne", 1),
            COMPONENT,
            USES_COMPONENT);
    assertThat(compilation).succeeded();
    assertCreatedThroughDagger(
        CompiledClasses.of(compilation),
        jakarta.inject.Inject.class,
        jakarta.inject.Provider.class);
  }

  /**
   * Checks that the registry's constructor is {@code inject}'s, takes one {@code provider} per
   * injected migration, and that Dagger's component hands out a registry that lists both migrations
   * and creates the injected one with its dependency.
   */
  private static void assertCreatedThroughDagger(
      CompiledClasses classes, Class<? extends Annotation> inject, Class<?> provider)
      throws Exception {
    Class<?> registryClass = classes.load("com.acme.MigrationRegistry");
    Constructor<?>[] constructors = registryClass.getConstructors();
    assertThat(constructors).hasLength(1);
    assertThat(constructors[0].isAnnotationPresent(inject)).isTrue();
    assertThat(constructors[0].getParameterTypes()).asList().containsExactly(provider);

    Object component = classes.load("com.acme.DaggerApp").getMethod("create").invoke(null);
    MigrationCatalog registry =
        (MigrationCatalog) classes.load("com.acme.App").getMethod("migrations").invoke(component);
    assertThat(GenerationTest.withoutChecksums(registry))
        .containsExactly(
            MigrationDescriptor.migration(
                1L, "Plain one", "com.acme.PlainOne", TRANSACTIONAL, IRREVERSIBLE),
            MigrationDescriptor.migration(
                2L, "Seed greetings", "com.acme.SeedGreetings", TRANSACTIONAL, IRREVERSIBLE))
        .inOrder();
    assertThat(registry.instantiate(0).getClass().getName()).isEqualTo("com.acme.PlainOne");
    Migration seed = registry.instantiate(1);
    assertThat(seed.getClass().getName()).isEqualTo("com.acme.SeedGreetings");
    Field greeter = seed.getClass().getDeclaredField("greeter");
    greeter.setAccessible(true);
    assertThat(greeter.get(seed)).isNotNull();
    IndexOutOfBoundsException past =
        assertThrows(IndexOutOfBoundsException.class, () -> registry.instantiate(2));
    assertThat(past).hasMessageThat().isEqualTo("No migration at index 2; there are 2");
  }

  @Test
  void tooManyInjected(@TempDir Path out) {
    int limit = InjectionValidator.MAX_INJECTED;
    List<JavaFileObject> sources = new ArrayList<>();
    for (int version = 1; version <= limit + 1; version++) {
      sources.add(LargeSetTest.injected("com.acme.many", "M" + version, version));
    }
    List<Diagnostic<? extends JavaFileObject>> errors =
        DirectJavac.errors(
            DirectJavac.attempt(out, sources, List.of(new DataMigrationProcessor())));
    assertThat(errors).hasSize(limit + 1); // one on each injected class, none elsewhere
    for (Diagnostic<? extends JavaFileObject> error : errors) {
      String file = error.getSource().getName();
      String name = file.substring(file.lastIndexOf('/') + 1, file.length() - ".java".length());
      assertThat(error.getMessage(Locale.ROOT))
          .isEqualTo(Messages.TOO_MANY_INJECTED.format("com.acme.many." + name, limit + 1, limit));
    }
    DirectJavac.assertNothingWritten(out);
  }

  @Test
  void asManyInjectedAsTheLimitCompile() {
    int limit = InjectionValidator.MAX_INJECTED;
    List<JavaFileObject> sources = new ArrayList<>();
    for (int version = 1; version <= limit; version++) {
      sources.add(LargeSetTest.injected("com.acme.many", "M" + version, version));
    }
    Compilation compilation = TestSources.compile(sources.toArray(JavaFileObject[]::new));
    assertThat(compilation)
        .succeeded(); // javac refuses a constructor over the JVM's 255 parameter slots
    CompiledClasses classes = CompiledClasses.of(compilation);
    Class<?> registry = classes.load("com.acme.many.MigrationRegistry");
    assertThat(registry.getConstructors()[0].getParameterCount()).isEqualTo(limit);
    // The factory's one lambda per injected migration compiles at the limit too, and each creates
    // its own.
    MigrationCatalogFactory factory = factory(classes, "com.acme.many.MigrationRegistry$Factory");
    assertThat(factory.dependencies()).hasSize(limit);
    MigrationCatalog catalog = factory.create(dependency -> "service");
    assertThat(catalog.instantiate(limit - 1).getClass().getName())
        .isEqualTo("com.acme.many.M" + limit);
  }

  /**
   * Needs a clock, a generic list and an int: a plain class, a type with type arguments, a
   * primitive.
   */
  private static final JavaFileObject STAMP_ROWS =
      source(
          "com.acme.StampRows",
          "package com.acme;",
          "",
          "import dev.datamigrations.DataMigration;",
          "import dev.datamigrations.runtime.Migration;",
          "import jakarta.inject.Inject;",
          "import java.time.Clock;",
          "import java.util.List;",
          "import java.util.function.Supplier;",
          "import org.jdbi.v3.core.Handle;",
          "",
          "@DataMigration(version = 2L)",
          "public class StampRows implements Migration, Supplier<String> {",
          "  private final String text;",
          "  @Inject public StampRows(Clock clock, List<String> names, int retries) {",
          "    this.text = clock.millis() + \" \" + names + \" \" + retries;",
          "  }",
          "  @Override public String get() { return text; }",
          "  @Override public void up(Handle handle) {}",
          "}");

  @Test
  void injectedRegistryCreatesMigrationsFromDependenciesWithoutDagger() {
    Compilation compilation = TestSources.compile(migration("com.acme", "PlainOne", 1), STAMP_ROWS);
    // The unchecked cast to List<String> is the generated code's, and suppressed there.
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedFile(StandardLocation.CLASS_OUTPUT, "", ServiceFile.FACTORY_PATH)
        .contentsAsUtf8String()
        .isEqualTo("com.acme.MigrationRegistry$Factory\n");
    MigrationCatalogFactory factory =
        factory(CompiledClasses.of(compilation), "com.acme.MigrationRegistry$Factory");
    MigrationDescriptor stamp =
        MigrationDescriptor.migration(
                2L, "Stamp rows", "com.acme.StampRows", TRANSACTIONAL, IRREVERSIBLE)
            .withChecksum(sourceChecksum(factory, 0));
    // Names and types as the source declares them: no -parameters, no reflection at run time.
    assertThat(factory.dependencies())
        .containsExactly(
            new MigrationDependency(stamp, "clock", Clock.class, "java.time.Clock", false),
            new MigrationDependency(
                stamp, "names", List.class, "java.util.List<java.lang.String>", true),
            new MigrationDependency(stamp, "retries", int.class, "int", false))
        .inOrder();

    Map<String, Object> beans =
        Map.of(
            "clock",
            Clock.fixed(Instant.ofEpochMilli(42), ZoneOffset.UTC),
            "names",
            List.of("a", "b"),
            "retries",
            3);
    List<MigrationDependency> asked = new ArrayList<>();
    MigrationCatalog registry =
        factory.create(
            dependency -> {
              asked.add(dependency);
              return beans.get(dependency.parameter());
            });
    assertThat(registry.descriptors()).hasSize(2);
    assertThat(registry.instantiate(0).getClass().getName()).isEqualTo("com.acme.PlainOne");
    assertThat(asked).isEmpty(); // a migration's dependencies are asked for only when it is created
    Migration first = registry.instantiate(1);
    assertThat(((Supplier<?>) first).get()).isEqualTo("42 [a, b] 3");
    assertThat(asked).isEqualTo(factory.dependencies());
    Migration second = registry.instantiate(1);
    assertThat(second)
        .isNotSameInstanceAs(first); // a new migration each time, as Dagger's providers give
    assertThat(asked).hasSize(6);
  }

  @Test
  void aWrongDependencyFailsWithTheCastNamingTheDeclaredType() {
    MigrationCatalogFactory factory =
        factory(
            CompiledClasses.of(TestSources.compile(STAMP_ROWS)),
            "com.acme.MigrationRegistry$Factory");
    MigrationCatalog registry = factory.create(dependency -> "not a clock");
    ClassCastException wrong =
        assertThrows(ClassCastException.class, () -> registry.instantiate(0));
    assertThat(wrong).hasMessageThat().contains("java.time.Clock");
  }

  @Test
  void aQualifiedParameterIsListedWithItsQualifierSoThatAContainerCanRefuseIt() {
    JavaFileObject qualified =
        source(
            "com.acme.CopyToReplica",
            "package com.acme;",
            "import dev.datamigrations.DataMigration;",
            "import dev.datamigrations.runtime.Migration;",
            "import jakarta.inject.Inject;",
            "import jakarta.inject.Named;",
            "import java.time.Clock;",
            "import org.jdbi.v3.core.Handle;",
            "@DataMigration(version = 1L)",
            "public class CopyToReplica implements Migration {",
            "  @Inject public CopyToReplica(@Named(\"utc\") Clock clock, Clock plain) {}",
            "  @Override public void up(Handle handle) {}",
            "}");
    MigrationCatalogFactory factory =
        factory(
            CompiledClasses.of(TestSources.compile(qualified)),
            "com.acme.MigrationRegistry$Factory");
    MigrationDescriptor copy =
        MigrationDescriptor.migration(
                1L, "Copy to replica", "com.acme.CopyToReplica", TRANSACTIONAL, IRREVERSIBLE)
            .withChecksum(sourceChecksum(factory, 0));
    // Asked by class only, a qualified parameter would silently get the context's one (or @Primary)
    // bean.
    assertThat(factory.dependencies())
        .containsExactly(
            new MigrationDependency(
                copy,
                "clock",
                Clock.class,
                "java.time.Clock",
                false,
                "@jakarta.inject.Named(\"utc\")"),
            new MigrationDependency(copy, "plain", Clock.class, "java.time.Clock", false))
        .inOrder();
  }

  @Test
  void aMigrationNamedFactoryDoesNotClashWithTheRegistrysNestedFactory() {
    JavaFileObject named =
        source(
            "com.acme.Factory",
            "package com.acme;",
            "import dev.datamigrations.DataMigration;",
            "import dev.datamigrations.runtime.Migration;",
            "import org.jdbi.v3.core.Handle;",
            "@DataMigration(version = 1L)",
            "public class Factory implements Migration {",
            "  @jakarta.inject.Inject public Factory(String name) {}",
            "  @Override public void up(Handle handle) {}",
            "}");
    CompiledClasses classes = CompiledClasses.of(TestSources.compile(named));
    MigrationCatalog registry =
        factory(classes, "com.acme.MigrationRegistry$Factory").create(dependency -> "x");
    assertThat(registry.instantiate(0).getClass().getName()).isEqualTo("com.acme.Factory");
  }

  private static MigrationCatalogFactory factory(CompiledClasses classes, String name) {
    try {
      return (MigrationCatalogFactory) classes.load(name).getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot create " + name, e);
    }
  }

  @Test
  void injectedSetCannotBeRunWithoutDagger() {
    JavaFileObject staticUse =
        source(
            "com.acme.Main",
            "package com.acme;",
            "import org.jdbi.v3.core.Jdbi;",
            "class Main {",
            "  static void migrate(Jdbi jdbi) {",
            "    MigrationRegistry.run(jdbi);",
            "  }",
            "  static Object create() {",
            "    return new MigrationRegistry();",
            "  }",
            "}");
    Compilation compilation =
        compileWithDagger(
            greeter("javax.inject"), injectedMigration("javax.inject"), COMPONENT, staticUse);
    assertThat(compilation).failed();
    assertThat(compilation)
        .hadErrorContaining("non-static method run(org.jdbi.v3.core.Jdbi) cannot be referenced")
        .inFile(staticUse)
        .onLineContaining("MigrationRegistry.run(jdbi)");
    assertThat(compilation)
        .hadErrorContaining("constructor MigrationRegistry in class com.acme.MigrationRegistry")
        .inFile(staticUse)
        .onLineContaining("new MigrationRegistry()");
  }

  @Test
  void plainSetIsRegisteredForServiceLoader() {
    Compilation compilation = TestSources.compile(migration("com.acme", "PlainOne", 1));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedFile(StandardLocation.CLASS_OUTPUT, "", ServiceFile.PATH)
        .contentsAsUtf8String()
        .isEqualTo("com.acme.MigrationRegistry\n");
  }

  /**
   * Returns the checksum of the migration of the {@code index}th dependency, which ChecksumTest
   * checks.
   */
  private static String sourceChecksum(MigrationCatalogFactory factory, int index) {
    return factory.dependencies().get(index).migration().checksum().orElseThrow();
  }
}
