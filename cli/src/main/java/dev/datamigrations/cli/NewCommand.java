package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationCatalog;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code new NAME}: writes a timestamped migration skeleton; needs no database. */
@Command(
    sortOptions = false,
    name = "new",
    description = "Writes a new data migration class, versioned with the current UTC date-time.")
final class NewCommand implements Callable<Integer> {

  @Parameters(
      paramLabel = "NAME",
      description =
          "Class name, UpdatePhoneNumbers or update_phone_numbers; the description is derived from it.")
  String name;

  @Option(
      names = "--package",
      paramLabel = "PACKAGE",
      description =
          "Package of the new class (default: the package of the application's MigrationRegistry).")
  String packageName;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = "src/main/java",
      description = "Source folder (default: ${DEFAULT-VALUE}).")
  Path directory;

  @Option(
      names = "--test-dir",
      paramLabel = "DIR",
      description =
          "Test source folder for the test skeleton (default: the src/test/java next to --dir's src/main/java).")
  Path testDirectory;

  @Option(
      names = "--no-test",
      description =
          "Write no test skeleton (by default one is written, using datamigrations-testing).")
  boolean noTest;

  @Option(
      names = "--backfill",
      description =
          "Write a Backfill (batched over a table's key column) instead of a one-go Migration.")
  boolean backfill;

  private final RootCommand root;

  NewCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    CliSettings settings = root.settings();
    MigrationSkeletonWriter.className(name); // a bad name is the first thing to report
    String resolvedPackage =
        packageName != null
            ? packageName
            : settings
                .catalog()
                .find()
                .map(MigrationCatalog::getClass)
                .map(Class::getPackageName)
                .orElseThrow(
                    () ->
                        new ConfigurationException(
                            "No package for the new migration: pass --package com.example.migrations (no single"
                                + " MigrationCatalog is known to take its package from)."));
    MigrationSkeletonWriter.Written written =
        new MigrationSkeletonWriter(settings.clock())
            .write(directory, noTest ? null : testRoot(), resolvedPackage, name, backfill);
    settings
        .out()
        .println(
            "Created "
                + written.file()
                + " (version "
                + written.version()
                + ", \""
                + written.description()
                + "\")");
    if (written.testFile() != null) {
      settings
          .out()
          .println("Created " + written.testFile() + " (its test, with datamigrations-testing)");
    }
    return ExitCodes.SUCCESS;
  }

  /**
   * Returns where the test skeleton goes: {@code --test-dir}, else the {@code src/test/java} next
   * to a {@code --dir} that ends in {@code src/main/java}, as Maven and Gradle lay projects out.
   */
  private Path testRoot() {
    if (testDirectory != null) {
      return testDirectory;
    }
    Path normalized = directory.normalize();
    int count = normalized.getNameCount();
    if (count >= 3
        && normalized.getName(count - 3).toString().equals("src")
        && normalized.getName(count - 2).toString().equals("main")
        && normalized.getName(count - 1).toString().equals("java")) {
      return normalized.getParent().getParent().resolve("test").resolve("java");
    }
    throw new ConfigurationException(
        "Cannot tell where the test skeleton goes: --dir "
            + directory
            + " is not a src/main/java folder. Pass --test-dir DIR, or --no-test. Nothing was written.");
  }
}
