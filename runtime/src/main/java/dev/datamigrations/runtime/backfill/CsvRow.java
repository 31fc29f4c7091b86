package dev.datamigrations.runtime.backfill;

import java.util.List;

/**
 * One data row of a {@link CsvBackfill}'s file.
 *
 * @param number the row's number, from 1 after the header (blank lines not counted)
 * @param header the header's column names; empty if the file has no header
 * @param values the row's fields, unquoted
 */
public record CsvRow(long number, List<String> header, List<String> values) {

  public CsvRow {
    header = List.copyOf(header);
    values = List.copyOf(values);
  }

  /** Returns field {@code index} (from 0). */
  public String get(int index) {
    return values.get(index);
  }

  /**
   * Returns the field of header column {@code column}.
   *
   * @throws IllegalArgumentException if the header has no such column, or the file has no header
   */
  public String get(String column) {
    int index = header.indexOf(column);
    if (index < 0) {
      throw new IllegalArgumentException(
          "CSV row " + number + " has no column " + column + " (the header: " + header + ")");
    }
    return values.get(index);
  }
}
