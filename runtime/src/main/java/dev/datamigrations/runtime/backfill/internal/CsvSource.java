package dev.datamigrations.runtime.backfill.internal;

import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.CsvBackfill;
import dev.datamigrations.runtime.backfill.CsvBatch;
import dev.datamigrations.runtime.backfill.CsvRow;
import dev.datamigrations.runtime.backfill.Key;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The rows of a CSV file, walked by row number: a range is the next {@code batchSize} row numbers
 * after the cursor; a claimed batch reads its rows from the file (checked against the SHA-256
 * stored at start) and gives them to the {@link CsvBackfill}.
 */
final class CsvSource implements BatchSource {
  private final CsvBackfill backfill;
  private final CsvFile file;

  CsvSource(CsvBackfill backfill, CsvFile file) {
    this.backfill = backfill;
    this.file = file;
  }

  @Override
  public boolean integerKey() {
    return true;
  }

  @Override
  public Span next(Connection connection, Key after, int batchSize) {
    long first = after == null ? 1 : after.getLong(0) + 1;
    if (first > file.rows()) {
      return null;
    }
    long last = Math.min(file.rows(), first + batchSize - 1);
    return new Span(Key.of(first), Key.of(last), last - first + 1);
  }

  @Override
  public long count(Connection connection) {
    return file.rows();
  }

  @Override
  public void process(Handle handle, Batch batch) throws Exception {
    List<List<String>> records;
    try {
      records = file.read(batch.first(), batch.last());
    } catch (CsvFile.CsvException e) {
      throw new DataMigrationException(
          "Could not read rows "
              + batch.first()
              + " to "
              + batch.last()
              + " of "
              + file.path()
              + ": "
              + e.getMessage(),
          e);
    }
    List<CsvRow> rows = new ArrayList<>(records.size());
    long number = batch.first();
    for (List<String> record : records) {
      rows.add(new CsvRow(number++, file.header(), record));
    }
    backfill.process(
        handle, new CsvBatch(batch.number(), batch.first(), batch.last(), file.header(), rows));
  }
}
