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
      description = "Class name, UpdatePhoneNumbers or update_phone_numbers; the description is derived from it.")
  String name;

  @Option(
      names = "--package",
      paramLabel = "PACKAGE",
      description = "Package of the new class (default: the package of the application's MigrationRegistry).")
  String packageName;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = "src/main/java",
      description = "Source folder (default: ${DEFAULT-VALUE}).")
  Path directory;

  @Option(
      names = "--backfill",
      description = "Write a Backfill (batched over a table's key column) instead of a one-go Migration.")
  boolean backfill;

  private final RootCommand root;

  NewCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    CliSettings settings = root.settings();
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
        new MigrationSkeletonWriter(settings.clock()).write(directory, resolvedPackage, name, backfill);
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
    return ExitCodes.SUCCESS;
  }
}
