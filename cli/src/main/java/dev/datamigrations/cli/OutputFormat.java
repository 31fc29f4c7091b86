package dev.datamigrations.cli;

/** What {@code status} and {@code pending} print: text for people, or JSON for scripts. */
enum OutputFormat {
  TEXT,
  JSON
}
