package dev.datamigrations.testing;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The CSV a {@link MigrationTester#runBackfill(long, int, CsvInput)} gives a {@code CsvBackfill}: a
 * file, or the file's text (written to a temporary file for the run, deleted after it).
 */
public final class CsvInput {
  private final Path file;
  private final String text;

  private CsvInput(Path file, String text) {
    this.file = file;
    this.text = text;
  }

  /** Returns the input of the CSV file {@code file}. */
  public static CsvInput file(Path file) {
    return new CsvInput(Objects.requireNonNull(file, "file"), null);
  }

  /** Returns the input of a CSV file holding {@code text}, e.g. {@code "sku,price\nA1,9.90\n"}. */
  public static CsvInput text(String text) {
    return new CsvInput(null, Objects.requireNonNull(text, "text"));
  }

  /** Returns the file, or null when given as text. */
  Path file() {
    return file;
  }

  /** Returns the text, or null when given as a file. */
  String text() {
    return text;
  }

  /** Returns {@code file /data/prices.csv} or {@code 23 characters of CSV}. */
  @Override
  public String toString() {
    return file != null ? "file " + file : text.length() + " characters of CSV";
  }
}
