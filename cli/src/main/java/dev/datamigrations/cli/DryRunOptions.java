package dev.datamigrations.cli;

import picocli.CommandLine.Option;

/** {@code --dry-run} and its {@code --format}, shared by migrate, up, down and rollback. */
final class DryRunOptions {

  @Option(
      names = "--dry-run",
      description =
          "Run in a transaction that is always rolled back and print what would change: rows and"
              + " statements per migration. Writes no history; exit code 7 if a migration would fail.")
  boolean dryRun;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "With --dry-run: text (a table) or json (for scripts).")
  OutputFormat format;

  /** Refuses {@code --format json} without {@code --dry-run}, which prints no document. */
  void check() {
    if (!dryRun && format == OutputFormat.JSON) {
      throw new ConfigurationException(
          "--format json goes with --dry-run: a real run prints progress lines, not a document."
              + " Nothing was changed.");
    }
  }
}
