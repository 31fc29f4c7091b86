package dev.datamigrations.runtime;

import dev.datamigrations.runtime.backfill.CsvBackfill;
import dev.datamigrations.runtime.backfill.CsvBatch;
import dev.datamigrations.runtime.backfill.CsvRow;
import org.jdbi.v3.core.Handle;

/**
 * A CSV backfill as a user writes one: inserts every row it is given into {@code target (row_no,
 * name, note)}, so a row processed twice shows twice and a skipped one not at all.
 */
final class CsvRecorder implements CsvBackfill {
  private final String target;
  private final boolean header;
  private final long sleepMillis;

  CsvRecorder(String target, boolean header, long sleepMillis) {
    this.target = target;
    this.header = header;
    this.sleepMillis = sleepMillis;
  }

  static String createTable(String target) {
    return "CREATE TABLE "
        + target
        + " (row_no BIGINT NOT NULL, name VARCHAR(200) NOT NULL, note VARCHAR(200) NOT NULL)";
  }

  @Override
  public boolean hasHeader() {
    return header;
  }

  @Override
  public void process(Handle handle, CsvBatch batch) {
    var insert =
        handle.prepareBatch("INSERT INTO " + target + " (row_no, name, note) VALUES (?, ?, ?)");
    for (CsvRow row : batch) {
      insert.add(
          row.number(),
          header ? row.get("name") : row.get(0),
          header ? row.get("note") : row.get(1));
    }
    insert.execute();
    if (sleepMillis > 0) {
      try {
        Thread.sleep(sleepMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
