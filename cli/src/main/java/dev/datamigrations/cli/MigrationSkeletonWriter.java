package dev.datamigrations.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javax.lang.model.SourceVersion;

/**
 * Writes a new, compilable migration class, the way {@code rails generate data_migration} does:
 * versioned with the current UTC date-time, in the right source folder and package, never over an
 * existing file.
 */
final class MigrationSkeletonWriter {
  private static final DateTimeFormatter VERSION_FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** What was written; {@code testFile} is null when no test skeleton was asked for. */
  record Written(Path file, Path testFile, String className, long version, String description) {}

  private final Clock clock;

  MigrationSkeletonWriter(Clock clock) {
    this.clock = clock;
  }

  /**
   * Writes {@code <sourceRoot>/<package path>/<ClassName>.java} for {@code name}, a {@code
   * Backfill} if {@code backfill} is set, a {@code Migration} otherwise, and, unless {@code
   * testRoot} is null, its test skeleton {@code <testRoot>/<package path>/<ClassName>Test.java},
   * written with datamigrations-testing. Writes neither if either file exists. Returns what it
   * wrote.
   */
  Written write(Path sourceRoot, Path testRoot, String packageName, String name, boolean backfill) {
    String className = className(name);
    if (!packageName.isEmpty() && !SourceVersion.isName(packageName)) {
      throw new ConfigurationException(
          "--package "
              + packageName
              + " is not a Java package name; write it like com.example.migrations.");
    }
    long version = Long.parseLong(VERSION_FORMAT.format(clock.instant()));
    String description = description(className);
    Path directory =
        packageName.isEmpty() ? sourceRoot : sourceRoot.resolve(packageName.replace('.', '/'));
    Path file = directory.resolve(className + ".java");
    Path testDirectory =
        testRoot == null
            ? null
            : packageName.isEmpty() ? testRoot : testRoot.resolve(packageName.replace('.', '/'));
    Path testFile = testDirectory == null ? null : testDirectory.resolve(className + "Test.java");
    if (testFile != null && Files.exists(testFile)) {
      throw new ConfigurationException(
          testFile
              + " already exists; choose another name, delete that file first, or pass --no-test. Nothing was"
              + " written.");
    }
    try {
      Files.createDirectories(directory);
      Files.writeString(
          file,
          backfill
              ? backfillSource(packageName, className, version, description)
              : source(packageName, className, version, description),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE_NEW);
    } catch (FileAlreadyExistsException e) {
      throw new ConfigurationException(
          file
              + " already exists; choose another name or delete that file first. Nothing was written.");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
    }
    if (testFile != null) {
      try {
        Files.createDirectories(testDirectory);
        Files.writeString(
            testFile,
            TestSkeleton.source(packageName, className, version, backfill),
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE_NEW);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Wrote " + file + " but cannot write its test " + testFile + ": " + e.getMessage(), e);
      }
    }
    return new Written(file, testFile, className, version, description);
  }

  /**
   * Returns the class name for {@code name}: {@code UpdatePhoneNumbers} as is, {@code
   * update_phone_numbers}, {@code update-phone-numbers} and {@code updatePhoneNumbers} as {@code
   * UpdatePhoneNumbers}.
   */
  static String className(String name) {
    StringBuilder result = new StringBuilder();
    for (String part : name.trim().split("[_\\-\\s]+")) {
      if (!part.isEmpty()) {
        result.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    String className = result.toString();
    if (className.isEmpty()
        || !SourceVersion.isIdentifier(className)
        || SourceVersion.isKeyword(className)
        || !Character.isUpperCase(className.charAt(0))) {
      throw new ConfigurationException(
          "Migration name '"
              + name
              + "' is not a Java class name: write it like UpdatePhoneNumbers or update_phone_numbers"
              + " (letters, digits and underscores; put the package in --package).");
    }
    return className;
  }

  /**
   * Returns the description derived from a class name, as the processor derives it: {@code
   * UpdatePhoneNumbers} becomes "Update phone numbers"; acronyms keep their case ({@code
   * BackfillSKUCodes} becomes "Backfill SKU codes").
   */
  static String description(String className) {
    String spaced =
        className
            .replaceAll("([a-z0-9])([A-Z])", "$1 $2")
            .replaceAll("([A-Z])([A-Z][a-z])", "$1 $2")
            .replace('_', ' ');
    StringBuilder result = new StringBuilder();
    for (String word : spaced.trim().split("\\s+")) {
      boolean acronym = word.length() > 1 && word.equals(word.toUpperCase(Locale.ROOT));
      String shown = result.length() == 0 || acronym ? word : word.toLowerCase(Locale.ROOT);
      result.append(result.length() == 0 ? "" : " ").append(shown);
    }
    return result.toString();
  }

  /** Returns the skeleton's source text. */
  static String source(String packageName, String className, long version, String description) {
    String packageLine = packageName.isEmpty() ? "" : "package " + packageName + ";\n\n";
    return packageLine
        + "import dev.datamigrations.DataMigration;\n"
        + "import dev.datamigrations.runtime.Migration;\n"
        + "import org.jdbi.v3.core.Handle;\n"
        + "\n"
        + "@DataMigration(version = "
        + version
        + "L, description = \""
        + description.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\")\n"
        + "public final class "
        + className
        + " implements Migration {\n"
        + "\n"
        + "  @Override\n"
        + "  public void up(Handle handle) {\n"
        + "    // Change the data here with the handle, for example:\n"
        + "    //   handle.execute(\"UPDATE customers SET country = ? WHERE country IS NULL\", \"FR\");\n"
        + "    // This runs in one transaction together with the history row: do not commit or roll back.\n"
        + "    // Overriding down(Handle handle) is optional: do it only if the change can be undone, so that\n"
        + "    // down and rollback can revert it; without it they refuse this migration before changing anything.\n"
        + "  }\n"
        + "}\n";
  }

  /** Returns a backfill skeleton's source text. */
  static String backfillSource(
      String packageName, String className, long version, String description) {
    String packageLine = packageName.isEmpty() ? "" : "package " + packageName + ";\n\n";
    return packageLine
        + "import dev.datamigrations.DataMigration;\n"
        + "import dev.datamigrations.runtime.backfill.Backfill;\n"
        + "import dev.datamigrations.runtime.backfill.Batch;\n"
        + "import dev.datamigrations.runtime.backfill.KeyRange;\n"
        + "import org.jdbi.v3.core.Handle;\n"
        + "\n"
        + "@DataMigration(version = "
        + version
        + "L, description = \""
        + description.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\")\n"
        + "public final class "
        + className
        + " implements Backfill {\n"
        + "\n"
        + "  @Override\n"
        + "  public KeyRange keys() {\n"
        + "    // The table and its integer key column to walk in batches, for example:\n"
        + "    return KeyRange.of(\"users\", \"id\");\n"
        + "  }\n"
        + "\n"
        + "  @Override\n"
        + "  public void process(Handle handle, Batch batch) {\n"
        + "    // Change the rows whose key is between batch.first() and batch.last(), for example:\n"
        + "    //   handle.createUpdate(\"UPDATE users SET email = LOWER(email) WHERE id BETWEEN :first AND :last\")\n"
        + "    //       .bind(\"first\", batch.first()).bind(\"last\", batch.last()).execute();\n"
        + "    // Each batch runs in a transaction of its own that also records it as done: do not commit or roll\n"
        + "    // back. Overriding down(Handle handle) is optional, as for any migration.\n"
        + "  }\n"
        + "}\n";
  }
}
