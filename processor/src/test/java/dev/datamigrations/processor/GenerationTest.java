package dev.datamigrations.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.datamigrations.processor.TestSources.compile;
import static dev.datamigrations.processor.TestSources.migration;
import static dev.datamigrations.processor.TestSources.source;
import static dev.datamigrations.runtime.MigrationDescriptor.Reversibility.IRREVERSIBLE;
import static dev.datamigrations.runtime.MigrationDescriptor.Reversibility.REVERSIBLE;
import static dev.datamigrations.runtime.MigrationDescriptor.Transaction.NON_TRANSACTIONAL;
import static dev.datamigrations.runtime.MigrationDescriptor.Transaction.TRANSACTIONAL;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import dev.datamigrations.processor.internal.Descriptions;
import dev.datamigrations.processor.internal.MigrationIndex;
import dev.datamigrations.processor.internal.ServiceFile;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.KeyRange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * What the processor generates for valid sets: one golden for the registry's text, behaviour for
 * the rest.
 */
class GenerationTest {

  /**
   * Sub-packages, a nested class, derived descriptions, reversible and non-transactional
   * migrations, a backfill.
   */
  static JavaFileObject[] goldenSources() {
    return new JavaFileObject[] {
      source(
          "com.acme.a.UpdatePhoneNumbers",
          "package com.acme.a;",
          "",
          "import dev.datamigrations.DataMigration;",
          "import dev.datamigrations.runtime.Migration;",
          "import org.jdbi.v3.core.Handle;",
          "",
          "@DataMigration(version = 10L)",
          "public final class UpdatePhoneNumbers implements Migration {",
          "  @Override public void up(Handle handle) {}",
          "  @Override public void down(Handle handle) {}",
          "}"),
      source(
          "com.acme.a.BackfillURLs2024",
          "package com.acme.a;",
          "",
          "import dev.datamigrations.DataMigration;",
          "import dev.datamigrations.runtime.Migration;",
          "import org.jdbi.v3.core.Handle;",
          "",
          "@DataMigration(version = 9L, transactional = false)",
          "public class BackfillURLs2024 implements Migration {",
          "  @Override public void up(Handle handle) {}",
          "}"),
      source(
          "com.acme.a.FillNames",
          "package com.acme.a;",
          "",
          "import dev.datamigrations.DataMigration;",
          "import " + Backfill.class.getName() + ";",
          "import " + Batch.class.getName() + ";",
          "import " + KeyRange.class.getName() + ";",
          "import org.jdbi.v3.core.Handle;",
          "",
          "@DataMigration(version = 11L)",
          "public class FillNames implements Backfill {",
          "  @Override public KeyRange keys() { return KeyRange.of(\"users\", \"id\"); }",
          "  @Override public void process(Handle handle, Batch batch) {}",
          "}"),
      source(
          "com.acme.b.Cleanups",
          "package com.acme.b;",
          "",
          "import dev.datamigrations.DataMigration;",
          "import dev.datamigrations.runtime.Migration;",
          "import org.jdbi.v3.core.Handle;",
          "",
          "public class Cleanups {",
          "  @DataMigration(version = 100L, description = \"Remove \\\"orphaned\\\" rows\")",
          "  public static class RemoveOrphans implements Migration {",
          "    @Override public void up(Handle handle) {}",
          "  }",
          "}"),
    };
  }

  static String resource(String path) {
    try (InputStream in = GenerationTest.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Keeps the actual text in target/golden-actual for diffing (and copying, when the change is
   * wanted).
   */
  static void writeActual(String name, String text) {
    try {
      java.nio.file.Path dir = java.nio.file.Path.of("target", "golden-actual");
      java.nio.file.Files.createDirectories(dir);
      java.nio.file.Files.writeString(dir.resolve(name), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String contents(Compilation compilation, JavaFileObject.Kind kind, String name) {
    try {
      return compilation.generatedFiles().stream()
          .filter(f -> f.getKind() == kind && f.toUri().getPath().endsWith(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("not generated: " + name))
          .getCharContent(true)
          .toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the registry's descriptors without their checksums, which ChecksumTest checks. */
  static List<MigrationDescriptor> withoutChecksums(MigrationCatalog registry) {
    return registry.descriptors().stream().map(MigrationDescriptor::withoutChecksum).toList();
  }

  @Test
  void goldenRegistry() {
    Compilation compilation = compile(goldenSources());
    assertThat(compilation).succeededWithoutWarnings();
    String generated =
        contents(compilation, JavaFileObject.Kind.SOURCE, "com/acme/MigrationRegistry.java");
    writeActual("MigrationRegistry.java", generated);
    assertThat(generated).isEqualTo(resource("/golden/MigrationRegistry.java"));
  }

  @Test
  void registryListsDescriptorsInVersionOrderAndCreatesEachMigration() {
    MigrationCatalog registry =
        CompiledClasses.of(compile(goldenSources())).plainRegistry("com.acme.MigrationRegistry");

    assertThat(registry.descriptors().stream().allMatch(d -> d.checksum().isPresent())).isTrue();
    assertThat(withoutChecksums(registry))
        .containsExactly(
            MigrationDescriptor.migration(
                9L,
                "Backfill URLs 2024",
                "com.acme.a.BackfillURLs2024",
                NON_TRANSACTIONAL,
                IRREVERSIBLE),
            MigrationDescriptor.migration(
                10L,
                "Update phone numbers",
                "com.acme.a.UpdatePhoneNumbers",
                TRANSACTIONAL,
                REVERSIBLE),
            MigrationDescriptor.backfill(11L, "Fill names", "com.acme.a.FillNames", IRREVERSIBLE),
            MigrationDescriptor.migration(
                100L,
                "Remove \"orphaned\" rows",
                "com.acme.b.Cleanups$RemoveOrphans",
                TRANSACTIONAL,
                IRREVERSIBLE))
        .inOrder();
    for (int i = 0; i < registry.descriptors().size(); i++) {
      Migration migration = registry.instantiate(i);
      assertThat(migration.getClass().getName())
          .isEqualTo(registry.descriptors().get(i).className());
      assertThat(registry.instantiate(i)).isNotSameInstanceAs(migration); // a fresh one per call
    }
    assertThat(registry.instantiate(2)).isInstanceOf(Backfill.class);
    IndexOutOfBoundsException past =
        assertThrows(IndexOutOfBoundsException.class, () -> registry.instantiate(4));
    assertThat(past).hasMessageThat().isEqualTo("No migration at index 4; there are 4");
    IndexOutOfBoundsException negative =
        assertThrows(IndexOutOfBoundsException.class, () -> registry.instantiate(-1));
    assertThat(negative).hasMessageThat().isEqualTo("No migration at index -1; there are 4");
    assertThrows(UnsupportedOperationException.class, () -> registry.descriptors().remove(0));
  }

  @Test
  void serviceEntryAndIndexAreWritten() {
    Compilation compilation = compile(goldenSources());
    assertThat(compilation)
        .generatedFile(StandardLocation.CLASS_OUTPUT, "", ServiceFile.PATH)
        .contentsAsUtf8String()
        .isEqualTo("com.acme.MigrationRegistry\n");
    assertThat(compilation)
        .generatedFile(StandardLocation.CLASS_OUTPUT, "", MigrationIndex.PATH)
        .contentsAsUtf8String()
        .matches(
            "# Generated by the datamigrations processor: the @DataMigration classes of this module.\n"
                + "com.acme.a.BackfillURLs2024\t[0-9a-f]{64}\ncom.acme.a.FillNames\t[0-9a-f]{64}\n"
                + "com.acme.a.UpdatePhoneNumbers\t[0-9a-f]{64}\n"
                + "com.acme.b.Cleanups.RemoveOrphans\t[0-9a-f]{64}\n");
  }

  @Test
  void registryGoesInTheLongestCommonPackage() {
    Compilation compilation =
        compile(
            migration("com.acme.billing.fixes", "First", 1),
            migration("com.acme.billing.seeds", "Second", 2),
            migration("com.acme.billing", "Third", 3));
    assertThat(compilation).succeededWithoutWarnings();
    MigrationCatalog registry =
        CompiledClasses.of(compilation).plainRegistry("com.acme.billing.MigrationRegistry");
    assertThat(registry.descriptors().stream().map(MigrationDescriptor::className).toList())
        .containsExactly(
            "com.acme.billing.fixes.First",
            "com.acme.billing.seeds.Second",
            "com.acme.billing.Third")
        .inOrder();
  }

  @Test
  void packageOption() {
    Compilation compilation =
        compile(
            List.of("-Adatamigrations.package=com.example.generated"),
            migration("com.acme.a", "First", 1));
    assertThat(compilation).succeededWithoutWarnings();
    MigrationCatalog registry =
        CompiledClasses.of(compilation).plainRegistry("com.example.generated.MigrationRegistry");
    assertThat(withoutChecksums(registry))
        .containsExactly(
            MigrationDescriptor.migration(
                1L, "First", "com.acme.a.First", TRANSACTIONAL, IRREVERSIBLE));
    assertThat(registry.instantiate(0).getClass().getName()).isEqualTo("com.acme.a.First");
  }

  @Test
  void descriptionDerivation() {
    assertThat(Descriptions.fromClassName("UpdatePhoneNumbers")).isEqualTo("Update phone numbers");
    assertThat(Descriptions.fromClassName("BackfillURLs2024")).isEqualTo("Backfill URLs 2024");
    assertThat(Descriptions.fromClassName("HTMLCleanup")).isEqualTo("HTML cleanup");
    assertThat(Descriptions.fromClassName("AddAColumn")).isEqualTo("Add a column");
    assertThat(Descriptions.fromClassName("Fix_user_names")).isEqualTo("Fix user names");
    assertThat(Descriptions.fromClassName("seedCountries")).isEqualTo("Seed countries");
    assertThat(Descriptions.fromClassName("V2")).isEqualTo("V 2");
  }

  @Test
  void reversibleFlag() {
    JavaFileObject base =
        source(
            "com.acme.Undoable",
            "package com.acme;",
            "import dev.datamigrations.runtime.Migration;",
            "import org.jdbi.v3.core.Handle;",
            "public abstract class Undoable implements Migration {",
            "  @Override public void down(Handle handle) {}",
            "}");
    JavaFileObject inherited =
        source(
            "com.acme.Inherits",
            "package com.acme;",
            "import dev.datamigrations.DataMigration;",
            "import org.jdbi.v3.core.Handle;",
            "@DataMigration(version = 1L)",
            "public class Inherits extends Undoable {",
            "  @Override public void up(Handle handle) {}",
            "}");
    JavaFileObject oneWay = migration("com.acme", "OneWay", 2);
    JavaFileObject overload =
        source(
            "com.acme.Overload",
            "package com.acme;",
            "import dev.datamigrations.DataMigration;",
            "import dev.datamigrations.runtime.Migration;",
            "import org.jdbi.v3.core.Handle;",
            "@DataMigration(version = 3L)",
            "public class Overload implements Migration {",
            "  @Override public void up(Handle handle) {}",
            "  public void down(String notAHandle) {}",
            "}");
    Compilation compilation = compile(base, inherited, oneWay, overload);
    assertThat(compilation).succeededWithoutWarnings();
    MigrationCatalog registry =
        CompiledClasses.of(compilation).plainRegistry("com.acme.MigrationRegistry");
    assertThat(registry.descriptors().stream().map(MigrationDescriptor::reversibility).toList())
        .containsExactly(REVERSIBLE, IRREVERSIBLE, IRREVERSIBLE)
        .inOrder();
  }
}
