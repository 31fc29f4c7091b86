package dev.datamigrations.runtime.backfill;

import java.util.Iterator;
import java.util.List;

/**
 * One batch of a {@link CsvBackfill}: the rows {@code firstRow} to {@code lastRow} of the file,
 * both included, numbered from 1 after the header.
 *
 * @param number the batch's number, from 1
 * @param firstRow the number of the batch's first row
 * @param lastRow the number of its last row
 * @param header the header's column names; empty if the file has no header
 * @param rows the rows, in file order
 */
public record CsvBatch(
    long number, long firstRow, long lastRow, List<String> header, List<CsvRow> rows)
    implements Iterable<CsvRow> {

  public CsvBatch {
    header = List.copyOf(header);
    rows = List.copyOf(rows);
  }

  @Override
  public Iterator<CsvRow> iterator() {
    return rows.iterator();
  }

  /** Returns how many rows the batch holds. */
  public int size() {
    return rows.size();
  }
}
