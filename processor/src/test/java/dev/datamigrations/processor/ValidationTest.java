package dev.datamigrations.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.datamigrations.processor.TestSources.compile;
import static dev.datamigrations.processor.TestSources.migration;
import static dev.datamigrations.processor.TestSources.source;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import dev.datamigrations.DataMigration;
import dev.datamigrations.processor.internal.Messages;
import dev.datamigrations.processor.internal.MigrationIndex;
import dev.datamigrations.processor.internal.ServiceFile;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per compile-time rule: the error text, and the file and line it points at. */
class ValidationTest {

  private static JavaFileObject migrationWithBody(String qualifiedName, String... body) {
    String pkg = qualifiedName.substring(0, qualifiedName.lastIndexOf('.'));
    String[] lines = new String[body.length + 5];
    lines[0] = "package " + pkg + ";";
    lines[1] = "import dev.datamigrations.DataMigration;";
    lines[2] = "import dev.datamigrations.runtime.Migration;";
    lines[3] = "import org.jdbi.v3.core.Handle;";
    lines[4] = "";
    System.arraycopy(body, 0, lines, 5, body.length);
    return source(qualifiedName, lines);
  }

  @Test
  void duplicateVersion() {
    JavaFileObject first = migration("com.acme.migrations", "BackfillNames", 20240831020834L);
    JavaFileObject second = migration("com.acme.migrations", "FixPhones", 20240831020834L);
    Compilation compilation = compile(first, second);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            Messages.DUPLICATE_VERSION.format(20240831020834L, "com.acme.migrations.FixPhones"))
        .inFile(first)
        .onLineContaining("version = 20240831020834L");
    assertThat(compilation)
        .hadErrorContaining(
            "Duplicate data migration version 20240831020834: also used by com.acme.migrations.BackfillNames."
                + " Give each migration a unique version (yyyyMMddHHmmss of its creation).")
        .inFile(second)
        .onLineContaining("version = 20240831020834L");
  }

  @Test
  void versionNotPositive() {
    JavaFileObject zero = migration("com.acme", "Zero", 0);
    JavaFileObject negative = migration("com.acme", "Negative", -5);
    Compilation compilation = compile(zero, negative);
    assertThat(compilation)
        .hadErrorContaining(Messages.VERSION_NOT_POSITIVE.format(0L))
        .inFile(zero)
        .onLineContaining("version = 0L");
    assertThat(compilation)
        .hadErrorContaining(Messages.VERSION_NOT_POSITIVE.format(-5L))
        .inFile(negative)
        .onLineContaining("version = -5L");
  }

  @Test
  void versionNotADateTime() {
    JavaFileObject month13 = migration("com.acme", "BadMonth", 20241332000000L);
    JavaFileObject hour99 = migration("com.acme", "BadHour", 20241399000000L);
    JavaFileObject feb30 = migration("com.acme", "BadDay", 20240230120000L);
    Compilation compilation = compile(month13, hour99, feb30);
    assertThat(compilation).hadErrorCount(3);
    assertThat(compilation)
        .hadErrorContaining(
            "@DataMigration version 20241332000000 is not a valid yyyyMMddHHmmss date-time")
        .inFile(month13)
        .onLineContaining("version = 20241332000000L");
    assertThat(compilation)
        .hadErrorContaining(Messages.VERSION_NOT_A_DATE_TIME.format(20241399000000L))
        .inFile(hour99)
        .onLineContaining("version = 20241399000000L");
    assertThat(compilation)
        .hadErrorContaining(Messages.VERSION_NOT_A_DATE_TIME.format(20240230120000L))
        .inFile(feb30)
        .onLineContaining("version = 20240230120000L");
  }

  @Test
  void sequenceNumbersOfAnyOtherLengthAreFine() {
    Compilation compilation =
        compile(
            migration("com.acme", "First", 1),
            migration("com.acme", "Second", 2),
            migration("com.acme", "Long", 123_456_789_012_345L));
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void mixedVersionStyles() {
    JavaFileObject timestamp = migration("com.acme", "Dated", 20240101000000L);
    JavaFileObject sequence = migration("com.acme", "Numbered", 3);
    Compilation compilation = compile(timestamp, sequence);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningCount(1);
    assertThat(compilation)
        .hadWarningContaining(
            Messages.MIXED_VERSION_STYLES.format(3L, 20240101000000L, "com.acme.Dated"))
        .inFile(sequence)
        .onLineContaining("version = 3L");
  }

  @Test
  void notAClass() {
    JavaFileObject anInterface =
        migrationWithBody(
            "com.acme.Iface",
            "@DataMigration(version = 1L)",
            "public interface Iface extends Migration {}");
    JavaFileObject anEnum =
        migrationWithBody(
            "com.acme.Enumerated",
            "@DataMigration(version = 2L)",
            "public enum Enumerated implements Migration {",
            "  ONE;",
            "  @Override public void up(Handle handle) {}",
            "}");
    JavaFileObject anAnnotation =
        migrationWithBody(
            "com.acme.Marker", "@DataMigration(version = 3L)", "public @interface Marker {}");
    Compilation compilation = compile(anInterface, anEnum, anAnnotation);
    assertThat(compilation).hadErrorCount(3);
    assertThat(compilation)
        .hadErrorContaining(Messages.NOT_A_CLASS.format("com.acme.Iface", "an interface"))
        .inFile(anInterface)
        .onLineContaining("public interface Iface");
    assertThat(compilation)
        .hadErrorContaining(Messages.NOT_A_CLASS.format("com.acme.Enumerated", "an enum"))
        .inFile(anEnum)
        .onLineContaining("public enum Enumerated");
    assertThat(compilation)
        .hadErrorContaining(Messages.NOT_A_CLASS.format("com.acme.Marker", "an annotation type"))
        .inFile(anAnnotation)
        .onLineContaining("public @interface Marker");
  }

  @Test
  void recordsAreClasses() {
    Compilation compilation =
        compile(
            migrationWithBody(
                "com.acme.AsRecord",
                "@DataMigration(version = 1L)",
                "public record AsRecord() implements Migration {",
                "  @Override public void up(Handle handle) {}",
                "}"));
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void abstractClass() {
    JavaFileObject source =
        migrationWithBody(
            "com.acme.Base",
            "@DataMigration(version = 1L)",
            "public abstract class Base implements Migration {}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(Messages.ABSTRACT_CLASS.format("com.acme.Base"))
        .inFile(source)
        .onLineContaining("public abstract class Base");
  }

  @Test
  void notAMigration() {
    JavaFileObject source =
        migrationWithBody(
            "com.acme.Plain",
            "@DataMigration(version = 1L)",
            "public class Plain {",
            "  public void up(Handle handle) {}",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(Messages.NOT_A_MIGRATION.format("com.acme.Plain"))
        .inFile(source)
        .onLineContaining("public class Plain");
  }

  @Test
  void runtimeMissing() throws URISyntaxException {
    File annotationsOnly =
        new File(DataMigration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    JavaFileObject source =
        source(
            "com.acme.Lonely",
            "package com.acme;",
            "import dev.datamigrations.DataMigration;",
            "@DataMigration(version = 1L)",
            "public class Lonely {}");
    Compilation compilation =
        javac()
            .withProcessors(new DataMigrationProcessor())
            .withClasspath(List.of(annotationsOnly))
            .compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(Messages.RUNTIME_MISSING.format("com.acme.Lonely"))
        .inFile(source)
        .onLineContaining("public class Lonely");
  }

  @Test
  void privateClass() {
    JavaFileObject source =
        migrationWithBody(
            "com.acme.Outer",
            "public class Outer {",
            "  @DataMigration(version = 1L)",
            "  private static class Hidden implements Migration {",
            "    @Override public void up(Handle handle) {}",
            "  }",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(Messages.PRIVATE_CLASS.format("com.acme.Outer.Hidden"))
        .inFile(source)
        .onLineContaining("private static class Hidden");
  }

  @Test
  void notPublic() {
    JavaFileObject source =
        migrationWithBody(
            "com.acme.PackagePrivate",
            "@DataMigration(version = 1L)",
            "class PackagePrivate implements Migration {",
            "  @Override public void up(Handle handle) {}",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(Messages.NOT_PUBLIC.format("com.acme.PackagePrivate"))
        .inFile(source)
        .onLineContaining("class PackagePrivate");
  }

  @Test
  void innerClassNotStatic() {
    JavaFileObject source =
        migrationWithBody(
            "com.acme.Outer",
            "public class Outer {",
            "  @DataMigration(version = 1L)",
            "  public class Inner implements Migration {",
            "    @Override public void up(Handle handle) {}",
            "  }",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("Nested @DataMigration class must be static")
        .inFile(source)
        .onLineContaining("public class Inner");
    assertThat(compilation)
        .hadErrorContaining(
            Messages.INNER_CLASS_NOT_STATIC.format("com.acme.Outer.Inner", "com.acme.Outer"));
  }

  @Test
  void enclosingClassNotPublic() {
    JavaFileObject privateOuter =
        migrationWithBody(
            "com.acme.Top",
            "public class Top {",
            "  private static class Middle {",
            "    @DataMigration(version = 1L)",
            "    public static class Deep implements Migration {",
            "      @Override public void up(Handle handle) {}",
            "    }",
            "  }",
            "}");
    JavaFileObject packageOuter =
        migrationWithBody(
            "com.acme.Hidden",
            "class Hidden {",
            "  @DataMigration(version = 2L)",
            "  public static class Visible implements Migration {",
            "    @Override public void up(Handle handle) {}",
            "  }",
            "}");
    Compilation compilation = compile(privateOuter, packageOuter);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            Messages.ENCLOSING_CLASS_NOT_PUBLIC.format(
                "com.acme.Top.Middle.Deep", "com.acme.Top.Middle", "com.acme.Top.Middle"))
        .inFile(privateOuter)
        .onLineContaining("public static class Deep");
    assertThat(compilation)
        .hadErrorContaining(
            Messages.ENCLOSING_CLASS_NOT_PUBLIC.format(
                "com.acme.Hidden.Visible", "com.acme.Hidden", "com.acme.Hidden"))
        .inFile(packageOuter)
        .onLineContaining("public static class Visible");
  }

  @Test
  void noUsableConstructor() {
    JavaFileObject source =
        migrationWithBody(
            "com.acme.NeedsArgs",
            "@DataMigration(version = 1L)",
            "public class NeedsArgs implements Migration {",
            "  public NeedsArgs(String table) {}",
            "  NeedsArgs() {}",
            "  @Override public void up(Handle handle) {}",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(Messages.NO_USABLE_CONSTRUCTOR.format("com.acme.NeedsArgs"))
        .inFile(source)
        .onLineContaining("public class NeedsArgs");
  }

  @Test
  void privateInjectConstructor() {
    JavaFileObject source =
        migrationWithBody(
            "com.acme.Injected",
            "@DataMigration(version = 1L)",
            "public class Injected implements Migration {",
            "  @javax.inject.Inject private Injected(Runnable service) {}",
            "  @Override public void up(Handle handle) {}",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(Messages.PRIVATE_INJECT_CONSTRUCTOR.format("com.acme.Injected"))
        .inFile(source)
        .onLineContaining("private Injected(Runnable service)");
  }

  @Test
  void severalInjectConstructors() {
    JavaFileObject source =
        migrationWithBody(
            "com.acme.Twice",
            "@DataMigration(version = 1L)",
            "public class Twice implements Migration {",
            "  @javax.inject.Inject public Twice(Runnable service) {}",
            "  @jakarta.inject.Inject public Twice(String name) {}",
            "  @Override public void up(Handle handle) {}",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation)
        .hadErrorContaining(Messages.SEVERAL_INJECT_CONSTRUCTORS.format("com.acme.Twice"))
        .inFile(source)
        .onLineContaining("public class Twice");
  }

  @Test
  void noCommonPackage() {
    JavaFileObject a = migration("com.a", "First", 1);
    JavaFileObject b = migration("org.b", "Second", 2);
    Compilation compilation = compile(a, b);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(Messages.NO_COMMON_PACKAGE.format("com.a.First", "com.a"))
        .inFile(a)
        .onLineContaining("public class First");
    assertThat(compilation)
        .hadErrorContaining(Messages.NO_COMMON_PACKAGE.format("org.b.Second", "org.b"))
        .inFile(b)
        .onLineContaining("public class Second");
  }

  @Test
  void noCommonPackageIsFixedByTheOption() {
    Compilation compilation =
        compile(
            List.of("-Adatamigrations.package=com.app"),
            migration("com.a", "First", 1),
            migration("org.b", "Second", 2));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(
            CompiledClasses.of(compilation)
                .plainRegistry("com.app.MigrationRegistry")
                .descriptors()
                .stream()
                .map(dev.datamigrations.runtime.MigrationDescriptor::className)
                .toList())
        .containsExactly("com.a.First", "org.b.Second")
        .inOrder();
  }

  @Test
  void unnamedPackage() {
    JavaFileObject source =
        source(
            "Bare",
            "import dev.datamigrations.DataMigration;",
            "import dev.datamigrations.runtime.Migration;",
            "import org.jdbi.v3.core.Handle;",
            "@DataMigration(version = 1L)",
            "public class Bare implements Migration {",
            "  @Override public void up(Handle handle) {}",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(Messages.NO_COMMON_PACKAGE.format("Bare", "the unnamed package"))
        .inFile(source)
        .onLineContaining("public class Bare");
  }

  @Test
  void invalidPackageOption() {
    JavaFileObject source = migration("com.acme", "First", 1);
    Compilation compilation = compile(List.of("-Adatamigrations.package=com.1bad"), source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(Messages.INVALID_PACKAGE_OPTION.format("com.1bad"))
        .inFile(source)
        .onLineContaining("public class First");
  }

  @Test
  void everyProblemOfABuildIsReportedInOneBuild() {
    JavaFileObject duplicateA = migration("com.acme", "DuplicateA", 20240101000000L);
    JavaFileObject duplicateB = migration("com.acme", "DuplicateB", 20240101000000L);
    JavaFileObject badDate = migration("com.acme", "BadDate", 20241399000000L);
    JavaFileObject notMigration =
        migrationWithBody(
            "com.acme.NotMigration",
            "@DataMigration(version = 20240202000000L)",
            "public class NotMigration {}");
    JavaFileObject abstractOne =
        migrationWithBody(
            "com.acme.AbstractOne",
            "@DataMigration(version = 20240303000000L)",
            "public abstract class AbstractOne implements Migration {}");
    Compilation compilation = compile(duplicateA, duplicateB, badDate, notMigration, abstractOne);
    assertThat(compilation).hadErrorCount(5);
    assertThat(compilation)
        .hadErrorContaining("also used by com.acme.DuplicateB")
        .inFile(duplicateA);
    assertThat(compilation)
        .hadErrorContaining("also used by com.acme.DuplicateA")
        .inFile(duplicateB);
    assertThat(compilation).hadErrorContaining("20241399000000 is not a valid").inFile(badDate);
    assertThat(compilation)
        .hadErrorContaining(Messages.NOT_A_MIGRATION.format("com.acme.NotMigration"))
        .inFile(notMigration);
    assertThat(compilation)
        .hadErrorContaining(Messages.ABSTRACT_CLASS.format("com.acme.AbstractOne"))
        .inFile(abstractOne);
  }

  /** Compiles {@code sources} into {@code out}, expecting exactly {@code errorCount} errors. */
  private static void compileWithErrors(Path out, int errorCount, JavaFileObject... sources) {
    List<Diagnostic<? extends JavaFileObject>> errors =
        DirectJavac.errors(
            DirectJavac.attempt(out, List.of(sources), List.of(new DataMigrationProcessor())));
    assertWithMessage("errors: %s", errors).that(errors).hasSize(errorCount);
  }

  @Test
  void anErroneousBuildWritesNoRegistryServiceEntryOrIndex_classShape(@TempDir Path out) {
    compileWithErrors(
        out,
        1,
        migration("com.acme", "Fine", 1),
        migrationWithBody(
            "com.acme.Abstract",
            "@DataMigration(version = 2L)",
            "public abstract class Abstract implements Migration {}"));
    DirectJavac.assertNothingWritten(out);
  }

  @Test
  void anErroneousBuildWritesNoRegistryServiceEntryOrIndex_duplicateVersions(@TempDir Path out) {
    compileWithErrors(
        out, 2, migration("com.acme", "First", 1), migration("com.acme", "Second", 1));
    DirectJavac.assertNothingWritten(out);
  }

  @Test
  void anErroneousBuildWritesNoRegistryServiceEntryOrIndex_noPackage(@TempDir Path out) {
    compileWithErrors(out, 2, migration("com.a", "First", 1), migration("org.b", "Second", 2));
    DirectJavac.assertNothingWritten(out);
  }

  @Test
  void anErroneousBuildWritesNoRegistryServiceEntryOrIndex_injected(@TempDir Path out) {
    // An injected set writes a nested Factory and the factory's service entry when clean: none of
    // them here.
    compileWithErrors(
        out,
        2,
        LargeSetTest.injected("com.acme", "Injected", 1),
        migration("com.acme", "Clash", 1));
    DirectJavac.assertNothingWritten(out);
  }

  @Test
  void theSameSetsWithoutTheErrorWriteAll(@TempDir Path plain, @TempDir Path injected) {
    // The counterparts that show assertNothingWritten can fail: clean builds write every output it
    // looks for.
    DirectJavac.compile(plain, List.of(migration("com.acme", "Fine", 1)));
    assertThat(DirectJavac.registryOutputs(plain))
        .containsExactly(
            MigrationIndex.PATH,
            ServiceFile.PATH,
            "com/acme/MigrationRegistry.class",
            "com/acme/MigrationRegistry.java");
    AssertionError plainWritten =
        assertThrows(AssertionError.class, () -> DirectJavac.assertNothingWritten(plain));
    assertThat(plainWritten).hasMessageThat().contains("com/acme/MigrationRegistry.java");

    DirectJavac.compile(
        injected,
        List.of(
            LargeSetTest.injected("com.acme", "Injected", 1), migration("com.acme", "Fine", 2)));
    assertThat(DirectJavac.registryOutputs(injected))
        .containsExactly(
            MigrationIndex.PATH,
            ServiceFile.FACTORY_PATH,
            "com/acme/MigrationRegistry$Factory.class",
            "com/acme/MigrationRegistry.class",
            "com/acme/MigrationRegistry.java");
  }
}
