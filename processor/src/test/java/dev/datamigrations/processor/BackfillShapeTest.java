package dev.datamigrations.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.datamigrations.processor.TestSources.compile;
import static dev.datamigrations.processor.TestSources.source;
import static dev.datamigrations.runtime.MigrationDescriptor.Reversibility.IRREVERSIBLE;

import com.google.testing.compile.Compilation;
import dev.datamigrations.processor.internal.Messages;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationKind;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.KeyRange;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The processor on backfills: one negative test per backfill rule, and the descriptor it generates.
 */
class BackfillShapeTest {

  private static JavaFileObject backfill(String name, String annotation, String... extraBody) {
    String[] lines = new String[12 + extraBody.length];
    int i = 0;
    lines[i++] = "package com.acme;";
    lines[i++] = "import dev.datamigrations.DataMigration;";
    lines[i++] = "import " + Backfill.class.getName() + ";";
    lines[i++] = "import " + Batch.class.getName() + ";";
    lines[i++] = "import " + KeyRange.class.getName() + ";";
    lines[i++] = "import org.jdbi.v3.core.Handle;";
    lines[i++] = annotation;
    lines[i++] = "public class " + name + " implements Backfill {";
    lines[i++] = "  @Override public KeyRange keys() { return KeyRange.of(\"users\", \"id\"); }";
    lines[i++] = "  @Override public void process(Handle handle, Batch batch) {}";
    for (String line : extraBody) {
      lines[i++] = line;
    }
    lines[i++] = "  // end";
    lines[i] = "}";
    return source("com.acme." + name, lines);
  }

  @Test
  void backfillTransactional() {
    JavaFileObject source =
        backfill("Explicit", "@DataMigration(version = 1L, transactional = true)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(Messages.BACKFILL_TRANSACTIONAL.format("com.acme.Explicit"))
        .inFile(source)
        .onLineContaining("transactional = true");
  }

  @Test
  void backfillTransactionalFalseIsRedundantButFine() {
    Compilation compilation =
        compile(backfill("Quiet", "@DataMigration(version = 1L, transactional = false)"));
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void backfillOverridesUp() {
    JavaFileObject source =
        backfill(
            "Both", "@DataMigration(version = 2L)", "  @Override public void up(Handle handle) {}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(Messages.BACKFILL_OVERRIDES_UP.format("com.acme.Both"))
        .inFile(source)
        .onLineContaining("public void up(Handle handle)");
  }

  @Test
  void backfillInheritsUpFromAClass() {
    JavaFileObject base =
        source(
            "com.acme.OneGo",
            "package com.acme;",
            "import dev.datamigrations.runtime.Migration;",
            "import org.jdbi.v3.core.Handle;",
            "public abstract class OneGo implements Migration {",
            "  @Override public void up(Handle handle) {}",
            "}");
    JavaFileObject mixed =
        source(
            "com.acme.Mixed",
            "package com.acme;",
            "import dev.datamigrations.DataMigration;",
            "import " + Backfill.class.getName() + ";",
            "import " + Batch.class.getName() + ";",
            "import " + KeyRange.class.getName() + ";",
            "import org.jdbi.v3.core.Handle;",
            "@DataMigration(version = 3L)",
            "public class Mixed extends OneGo implements Backfill {",
            "  @Override public KeyRange keys() { return KeyRange.of(\"users\", \"id\"); }",
            "  @Override public void process(Handle handle, Batch batch) {}",
            "}");
    Compilation compilation = compile(base, mixed);
    assertThat(compilation)
        .hadErrorContaining(Messages.BACKFILL_OVERRIDES_UP.format("com.acme.Mixed"))
        .inFile(mixed)
        .onLineContaining("public class Mixed");
  }

  @Test
  void backfillShapesAndClassShapesAreReportedTogether() {
    JavaFileObject source =
        source(
            "com.acme.Hidden",
            "package com.acme;",
            "import dev.datamigrations.DataMigration;",
            "import " + Backfill.class.getName() + ";",
            "import " + Batch.class.getName() + ";",
            "import " + KeyRange.class.getName() + ";",
            "import org.jdbi.v3.core.Handle;",
            "@DataMigration(version = 4L, transactional = true)",
            "abstract class Hidden implements Backfill {",
            "  @Override public KeyRange keys() { return KeyRange.of(\"users\", \"id\"); }",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation)
        .hadErrorContaining(Messages.BACKFILL_TRANSACTIONAL.format("com.acme.Hidden"));
    assertThat(compilation).hadErrorContaining(Messages.ABSTRACT_CLASS.format("com.acme.Hidden"));
    assertThat(compilation).hadErrorContaining(Messages.NOT_PUBLIC.format("com.acme.Hidden"));
  }

  @Test
  void registryMarksBackfills() {
    Compilation compilation =
        compile(
            backfill("FillNames", "@DataMigration(version = 20250301120000L)"),
            TestSources.migration("com.acme", "Plain", 20250301110000L));
    assertThat(compilation).succeededWithoutWarnings();
    MigrationCatalog registry =
        CompiledClasses.of(compilation).plainRegistry("com.acme.MigrationRegistry");
    MigrationDescriptor plain = registry.descriptors().get(0);
    MigrationDescriptor backfill = registry.descriptors().get(1);
    assertThat(plain.kind()).isEqualTo(MigrationKind.MIGRATION);
    assertThat(plain.transactional()).isTrue();
    assertThat(backfill.withoutChecksum())
        .isEqualTo(
            MigrationDescriptor.backfill(
                20250301120000L, "Fill names", "com.acme.FillNames", IRREVERSIBLE));
    assertThat(backfill.kind()).isEqualTo(MigrationKind.BACKFILL);
    assertThat(backfill.transactional()).isFalse();
    assertThat(registry.instantiate(1)).isInstanceOf(Backfill.class);
  }

  private static JavaFileObject queryBackfill(String name, String annotation, String... extraBody) {
    java.util.List<String> lines =
        new java.util.ArrayList<>(
            java.util.List.of(
                "package com.acme;",
                "import dev.datamigrations.DataMigration;",
                "import dev.datamigrations.runtime.backfill.*;",
                "import org.jdbi.v3.core.Handle;",
                annotation,
                "public class " + name + " implements QueryBackfill {",
                "  @Override public BackfillQuery query() {",
                "    return BackfillQuery.of(\"SELECT id FROM users WHERE blocked\", \"id\");",
                "  }",
                "  @Override public void process(Handle handle, Batch batch) {}"));
    lines.addAll(java.util.List.of(extraBody));
    lines.add("}");
    return source("com.acme." + name, lines.toArray(String[]::new));
  }

  private static JavaFileObject csvBackfill(String name, String annotation, String... extraBody) {
    java.util.List<String> lines =
        new java.util.ArrayList<>(
            java.util.List.of(
                "package com.acme;",
                "import dev.datamigrations.DataMigration;",
                "import dev.datamigrations.runtime.backfill.*;",
                "import org.jdbi.v3.core.Handle;",
                annotation,
                "public class " + name + " implements CsvBackfill {",
                "  @Override public void process(Handle handle, CsvBatch batch) {}"));
    lines.addAll(java.util.List.of(extraBody));
    lines.add("}");
    return source("com.acme." + name, lines.toArray(String[]::new));
  }

  @Test
  void queryBackfillTransactional() {
    JavaFileObject source =
        queryBackfill("Orphans", "@DataMigration(version = 5L, transactional = true)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(Messages.BACKFILL_TRANSACTIONAL.format("com.acme.Orphans"))
        .inFile(source)
        .onLineContaining("transactional = true");
  }

  @Test
  void csvBackfillOverridesUp() {
    JavaFileObject source =
        csvBackfill(
            "Prices",
            "@DataMigration(version = 6L)",
            "  @Override public void up(Handle handle) {}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(Messages.BACKFILL_OVERRIDES_UP.format("com.acme.Prices"))
        .inFile(source)
        .onLineContaining("public void up(Handle handle)");
  }

  @Test
  void backfillShapesMixed() {
    JavaFileObject both =
        source(
            "com.acme.Both",
            "package com.acme;",
            "import dev.datamigrations.DataMigration;",
            "import dev.datamigrations.runtime.backfill.*;",
            "import org.jdbi.v3.core.Handle;",
            "@DataMigration(version = 7L)",
            "public class Both implements QueryBackfill, CsvBackfill {",
            "  @Override public BackfillQuery query() { return BackfillQuery.of(\"SELECT 1 AS id\", \"id\"); }",
            "  @Override public void process(Handle handle, Batch batch) {}",
            "  @Override public void process(Handle handle, CsvBatch batch) {}",
            "  @Override public void up(Handle handle) {}",
            "}");
    Compilation compilation = compile(both);
    assertThat(compilation)
        .hadErrorContaining(
            Messages.BACKFILL_SHAPES_MIXED.format("com.acme.Both", "QueryBackfill and CsvBackfill"))
        .inFile(both)
        .onLineContaining("public class Both");
  }

  @Test
  void registryMarksQueryAndCsvBackfills() {
    Compilation compilation =
        compile(
            queryBackfill("CloseOrphans", "@DataMigration(version = 20250302090000L)"),
            csvBackfill("ImportPrices", "@DataMigration(version = 20250303100000L)"));
    assertThat(compilation).succeededWithoutWarnings();
    MigrationCatalog registry =
        CompiledClasses.of(compilation).plainRegistry("com.acme.MigrationRegistry");
    // The checksums are ChecksumTest's business: compared without them.
    assertThat(registry.descriptors().stream().map(MigrationDescriptor::withoutChecksum).toList())
        .containsExactly(
            MigrationDescriptor.backfill(
                20250302090000L, "Close orphans", "com.acme.CloseOrphans", IRREVERSIBLE),
            MigrationDescriptor.backfill(
                20250303100000L, "Import prices", "com.acme.ImportPrices", IRREVERSIBLE))
        .inOrder();
    assertThat(registry.instantiate(0))
        .isInstanceOf(dev.datamigrations.runtime.backfill.QueryBackfill.class);
    assertThat(registry.instantiate(1))
        .isInstanceOf(dev.datamigrations.runtime.backfill.CsvBackfill.class);
  }
}
