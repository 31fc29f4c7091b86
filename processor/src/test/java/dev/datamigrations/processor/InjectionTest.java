package dev.datamigrations.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.datamigrations.processor.GenerationTest.contents;
import static dev.datamigrations.processor.GenerationTest.resource;
import static dev.datamigrations.processor.GenerationTest.writeActual;
import static dev.datamigrations.processor.TestSources.migration;
import static dev.datamigrations.processor.TestSources.source;

import com.google.testing.compile.Compilation;
import dagger.internal.codegen.ComponentProcessor;
import dev.datamigrations.processor.internal.Messages;
import dev.datamigrations.processor.internal.ServiceFile;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * Migrations with {@code @Inject} constructors, compiled with Dagger's processor beside ours. Dagger 2.60 brings
 * both javax.inject and jakarta.inject, so both flavours are tested.
 */
class InjectionTest {

  private static JavaFileObject greeter(String inject) {
    return source(
        "com.acme.Greeter",
        "package com.acme;",
        "public class Greeter {",
        "  @" + inject + ".Inject public Greeter() {}",
        "}");
  }

  private static JavaFileObject injectedMigration(String inject) {
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
        "  @" + inject + ".Inject public SeedGreetings(Greeter greeter) { this.greeter = greeter; }",
        "  @Override public void up(Handle handle) {}",
        "}");
  }

  private static final JavaFileObject COMPONENT =
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

  private static Compilation compileWithDagger(JavaFileObject... sources) {
    return javac()
        .withProcessors(new DataMigrationProcessor(), new ComponentProcessor())
        .compile(sources);
  }

  @Test
  void injectedSetWorksWithADaggerComponent_javax() {
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
            Messages.INJECTED_REGISTRY.format("com.acme.MigrationRegistry", "com.acme.SeedGreetings"));
    assertThat(compilation).generatedSourceFile("com.acme.DaggerApp");
    String registry =
        contents(compilation, JavaFileObject.Kind.SOURCE, "com/acme/MigrationRegistry.java");
    writeActual("InjectedMigrationRegistry.java", registry);
    assertThat(registry).isEqualTo(resource("/golden/InjectedMigrationRegistry.java"));
    boolean serviceEntry =
        compilation.generatedFiles().stream()
            .anyMatch(f -> f.toUri().getPath().endsWith(ServiceFile.PATH));
    assertThat(serviceEntry).isFalse();
  }

  @Test
  void injectedSetWorksWithADaggerComponent_jakarta() {
    Compilation compilation =
        compileWithDagger(
            greeter("jakarta.inject"),
            injectedMigration("jakarta.inject"),
            migration("com.acme", "PlainOne", 1),
            COMPONENT,
            USES_COMPONENT);
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .generatedSourceFile("com.acme.MigrationRegistry")
        .contentsAsUtf8String()
        .contains("@Inject\n  public MigrationRegistry(Provider<SeedGreetings> seedGreetingsProvider)");
    assertThat(compilation)
        .generatedSourceFile("com.acme.MigrationRegistry")
        .contentsAsUtf8String()
        .contains("import jakarta.inject.Provider;");
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
}
