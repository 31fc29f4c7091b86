package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.DataMigration;
import dev.datamigrations.processor.DataMigrationProcessor;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationDescriptor.Reversibility;
import dev.datamigrations.runtime.MigrationDescriptor.Transaction;
import dev.datamigrations.runtime.MigrationKind;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.KeyRange;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code new}: the generator writes a skeleton that the real processor accepts (its registry,
 * loaded, lists it as the right kind of migration), needs no database, and refuses to overwrite.
 */
class NewCommandTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-08-31T02:08:34Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private DataMigrationsCli.Builder cli() {
    return DataMigrationsCli.forCatalog(new TestCatalog()).environment(Map.of()).clock(CLOCK);
  }

  @Test
  void writesACompilableSkeletonInTheCatalogsPackage() throws Exception {
    CliRun run =
        CliRun.of(cli(), "new", "UpdatePhoneNumbers", "--dir", dir.toString(), "--no-test");

    assertEquals(0, run.exitCode(), run::toString);
    Path file = dir.resolve("dev/datamigrations/cli/UpdatePhoneNumbers.java");
    assertEquals(
        "Created " + file + " (version 20240831020834, \"Update phone numbers\")\n", run.out());
    String source = Files.readString(file);
    assertTrue(source.startsWith("package dev.datamigrations.cli;\n\n"), source);
    assertTrue(source.contains("import dev.datamigrations.DataMigration;\n"), source);
    assertTrue(source.contains("import dev.datamigrations.runtime.Migration;\n"), source);
    assertTrue(source.contains("import org.jdbi.v3.core.Handle;\n"), source);
    assertTrue(
        source.contains(
            "@DataMigration(version = 20240831020834L, description = \"Update phone numbers\")\n"
                + "public final class UpdatePhoneNumbers implements Migration {\n"),
        source);
    assertTrue(source.contains("  public void up(Handle handle) {\n"), source);
    assertTrue(source.contains("down(Handle handle) is optional"), source);
    assertFalse(source.contains("TODO"), source);
    MigrationCatalog registry = compileWithProcessor("dev.datamigrations.cli", file);
    assertEquals(
        List.of(
            MigrationDescriptor.migration(
                20240831020834L,
                "Update phone numbers",
                "dev.datamigrations.cli.UpdatePhoneNumbers",
                Transaction.TRANSACTIONAL,
                Reversibility.IRREVERSIBLE)),
        registry.descriptors().stream().map(MigrationDescriptor::withoutChecksum).toList());
    assertTrue(registry.descriptors().get(0).checksum().isPresent());
    assertEquals(
        "dev.datamigrations.cli.UpdatePhoneNumbers", registry.instantiate(0).getClass().getName());
  }

  @Test
  void acceptsSnakeCaseAndAnExplicitPackage() throws Exception {
    CliRun run =
        CliRun.of(
            cli(),
            "new",
            "backfill_sku_codes",
            "--package",
            "com.example.shop.migrations",
            "--dir",
            dir.toString(),
            "--no-test");

    assertEquals(0, run.exitCode(), run::toString);
    Path file = dir.resolve("com/example/shop/migrations/BackfillSkuCodes.java");
    MigrationCatalog registry = compileWithProcessor("com.example.shop.migrations", file);
    assertEquals(
        List.of(
            MigrationDescriptor.migration(
                20240831020834L,
                "Backfill sku codes",
                "com.example.shop.migrations.BackfillSkuCodes",
                Transaction.TRANSACTIONAL,
                Reversibility.IRREVERSIBLE)),
        registry.descriptors().stream().map(MigrationDescriptor::withoutChecksum).toList());
    assertTrue(registry.descriptors().get(0).checksum().isPresent());
  }

  @Test
  void writesACompilableBackfillSkeletonWithBackfill() throws Exception {
    CliRun run =
        CliRun.of(
            cli(), "new", "BackfillEmails", "--backfill", "--dir", dir.toString(), "--no-test");

    assertEquals(0, run.exitCode(), run::toString);
    Path file = dir.resolve("dev/datamigrations/cli/BackfillEmails.java");
    String source = Files.readString(file);
    assertTrue(
        source.contains(
            "@DataMigration(version = 20240831020834L, description = \"Backfill emails\")\n"
                + "public final class BackfillEmails implements Backfill {\n"),
        source);
    assertTrue(source.contains("  public KeyRange keys() {\n"), source);
    assertTrue(source.contains("  public void process(Handle handle, Batch batch) {\n"), source);
    assertFalse(source.contains("TODO") || source.contains("public void up("), source);
    // What the processor makes of it: a backfill (never transactional as a whole), created by the
    // registry.
    MigrationCatalog registry = compileWithProcessor("dev.datamigrations.cli", file);
    assertEquals(
        List.of(
            MigrationDescriptor.backfill(
                20240831020834L,
                "Backfill emails",
                "dev.datamigrations.cli.BackfillEmails",
                Reversibility.IRREVERSIBLE)),
        registry.descriptors().stream().map(MigrationDescriptor::withoutChecksum).toList());
    assertTrue(registry.descriptors().get(0).checksum().isPresent());
    assertEquals(MigrationKind.BACKFILL, registry.descriptors().get(0).kind());
    Migration backfill = registry.instantiate(0);
    assertTrue(backfill instanceof Backfill, backfill.getClass().getName());
    assertEquals(KeyRange.of("users", "id"), ((Backfill) backfill).keys());
  }

  @Test
  void refusesToOverwriteAnExistingFile() throws Exception {
    assertEquals(
        0,
        CliRun.of(cli(), "new", "SeedCountries", "--dir", dir.toString(), "--no-test").exitCode());
    Path file = dir.resolve("dev/datamigrations/cli/SeedCountries.java");
    Files.writeString(file, "// edited by hand\n");

    CliRun again = CliRun.of(cli(), "new", "SeedCountries", "--dir", dir.toString(), "--no-test");

    assertEquals(2, again.exitCode(), again::toString);
    assertTrue(again.err().contains(file + " already exists"), again::toString);
    assertEquals("// edited by hand\n", Files.readString(file));
  }

  @Test
  void rejectsANameThatIsNotAJavaClassName() {
    for (String name : List.of("123abc", "com.example.Foo", "", "Update-Phone!")) {
      CliRun run = CliRun.of(cli(), "new", name, "--dir", dir.toString());
      assertEquals(2, run.exitCode(), run::toString);
      assertTrue(run.err().contains("is not a Java class name"), run::toString);
    }
  }

  @Test
  void requiresAPackageWhenNoCatalogIsKnown() {
    CliRun run =
        CliRun.of(
            DataMigrationsCli.fromServiceLoader(ClassLoader.getPlatformClassLoader())
                .environment(Map.of()),
            "new",
            "SeedCountries",
            "--dir",
            dir.toString());

    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().contains("--package"), run::toString);
  }

  @Test
  void writesACompilableTestSkeletonInSrcTestJavaNextToTheMigration() throws Exception {
    Path main = dir.resolve("app/src/main/java");

    CliRun run = CliRun.of(cli(), "new", "UpdatePhoneNumbers", "--dir", main.toString());

    assertEquals(0, run.exitCode(), run::toString);
    Path file = main.resolve("dev/datamigrations/cli/UpdatePhoneNumbers.java");
    Path test = dir.resolve("app/src/test/java/dev/datamigrations/cli/UpdatePhoneNumbersTest.java");
    assertEquals(
        "Created "
            + file
            + " (version 20240831020834, \"Update phone numbers\")\n"
            + "Created "
            + test
            + " (its test, with datamigrations-testing)\n",
        run.out());
    String source = Files.readString(test);
    assertTrue(source.startsWith("package dev.datamigrations.cli;\n\n"), source);
    assertTrue(source.contains("@DataMigrationsTest\nclass UpdatePhoneNumbersTest {\n"), source);
    assertTrue(source.contains("  private static final long VERSION = 20240831020834L;\n"), source);
    assertTrue(source.contains("    tester.migrateBefore(VERSION).seed(handle -> {\n"), source);
    assertTrue(source.contains("    tester.up(VERSION);\n"), source);
    assertTrue(source.contains("tester.assertReversible(VERSION"), source);
    assertFalse(source.contains("TODO"), source);
    compileWithProcessor("dev.datamigrations.cli", file, test);
  }

  @Test
  void writesABackfillTestSkeletonThatRunsItInBatchesOfOne() throws Exception {
    Path main = dir.resolve("src/main/java");

    CliRun run = CliRun.of(cli(), "new", "BackfillEmails", "--backfill", "--dir", main.toString());

    assertEquals(0, run.exitCode(), run::toString);
    Path test = dir.resolve("src/test/java/dev/datamigrations/cli/BackfillEmailsTest.java");
    String source = Files.readString(test);
    assertTrue(
        source.contains("BackfillRun run = tester.runBackfill(VERSION, 1, (handle, batch) -> {"),
        source);
    assertTrue(source.contains("tester.assertIdempotent(VERSION);"), source);
    compileWithProcessor(
        "dev.datamigrations.cli", main.resolve("dev/datamigrations/cli/BackfillEmails.java"), test);
  }

  @Test
  void writesTheTestWhereTestDirSays() throws Exception {
    Path tests = dir.resolve("elsewhere");

    CliRun run =
        CliRun.of(
            cli(),
            "new",
            "SeedCountries",
            "--dir",
            dir.resolve("src").toString(),
            "--test-dir",
            tests.toString());

    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(
        Files.exists(tests.resolve("dev/datamigrations/cli/SeedCountriesTest.java")),
        run::toString);
  }

  @Test
  void noTestWritesOnlyTheMigration() throws Exception {
    Path main = dir.resolve("src/main/java");

    CliRun run = CliRun.of(cli(), "new", "SeedCountries", "--dir", main.toString(), "--no-test");

    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(Files.exists(main.resolve("dev/datamigrations/cli/SeedCountries.java")));
    assertFalse(Files.exists(dir.resolve("src/test")), run::toString);
  }

  @Test
  void withoutATestFolderToDeriveNothingIsWritten() {
    CliRun run = CliRun.of(cli(), "new", "SeedCountries", "--dir", dir.toString());

    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(
        run.err()
            .contains(
                "Cannot tell where the test skeleton goes: --dir "
                    + dir
                    + " is not a src/main/java folder. Pass"
                    + " --test-dir DIR, or --no-test. Nothing was written."),
        run::toString);
    assertFalse(Files.exists(dir.resolve("dev")), run::toString);
  }

  @Test
  void anExistingTestIsNeverOverwrittenAndNothingIsWritten() throws Exception {
    Path main = dir.resolve("src/main/java");
    Path test = dir.resolve("src/test/java/dev/datamigrations/cli/SeedCountriesTest.java");
    Files.createDirectories(test.getParent());
    Files.writeString(test, "// a test of an older migration of that name\n");

    CliRun run = CliRun.of(cli(), "new", "SeedCountries", "--dir", main.toString());

    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().contains(test + " already exists"), run::toString);
    assertEquals("// a test of an older migration of that name\n", Files.readString(test));
    assertFalse(
        Files.exists(main.resolve("dev/datamigrations/cli/SeedCountries.java")),
        "the migration is not written either");
  }

  @Test
  void derivesDescriptionsLikeTheProcessor() {
    assertEquals("Update phone numbers", MigrationSkeletonWriter.description("UpdatePhoneNumbers"));
    assertEquals("Backfill SKU codes", MigrationSkeletonWriter.description("BackfillSKUCodes"));
    assertEquals("Seed countries2024", MigrationSkeletonWriter.description("SeedCountries2024"));
    assertEquals("UpdatePhoneNumbers", MigrationSkeletonWriter.className("update_phone_numbers"));
    assertEquals("UpdatePhoneNumbers", MigrationSkeletonWriter.className("updatePhoneNumbers"));
  }

  /**
   * Compiles {@code files} as an application's build does: against the annotations, the runtime,
   * JDBI, the test kit and JUnit, with the real annotation processor; loads the {@code
   * MigrationRegistry} it generated in {@code registryPackage} and returns it.
   */
  private MigrationCatalog compileWithProcessor(String registryPackage, Path... files)
      throws Exception {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    String classPath =
        Stream.of(
                DataMigration.class,
                Migration.class,
                Handle.class,
                dev.datamigrations.testing.MigrationTester.class,
                org.junit.jupiter.api.Test.class,
                org.junit.jupiter.api.Assertions.class,
                org.apiguardian.api.API.class)
            .map(NewCommandTest::location)
            .collect(Collectors.joining(java.io.File.pathSeparator));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    try (StandardJavaFileManager fileManager =
        compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      boolean compiled =
          compiler
              .getTask(
                  new OutputStreamWriter(diagnostics, StandardCharsets.UTF_8),
                  fileManager,
                  null,
                  List.of(
                      "-classpath", classPath,
                      "-processorpath", location(DataMigrationProcessor.class),
                      "-processor", DataMigrationProcessor.class.getName(),
                      "-Xlint:all,-processing,-classfile", "-Werror",
                      "-d", classes.toString()),
                  null,
                  fileManager.getJavaFileObjects(files))
              .call();
      assertTrue(compiled, () -> diagnostics.toString(StandardCharsets.UTF_8));
    }
    // The test's class path has the runtime; the skeleton and its registry come from the compiler's
    // output only.
    URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
    return (MigrationCatalog)
        loader.loadClass(registryPackage + ".MigrationRegistry").getConstructor().newInstance();
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
