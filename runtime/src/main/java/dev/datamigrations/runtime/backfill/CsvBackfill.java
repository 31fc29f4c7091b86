package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.Migration;
import org.jdbi.v3.core.Handle;

/**
 * A backfill over the rows of a CSV file given when it starts (maintenance_tasks' CSV collections):
 * each row processed exactly once, in batches of consecutive rows, the cursor being the row number.
 * Give the file with {@code BackfillSettings.builder().csvFile(version, path)}, or {@code --csv
 * VERSION=FILE} on the command line ({@code work VERSION --csv FILE}).
 *
 * <pre>{@code
 * @DataMigration(version = 20250303100000L)
 * public class ImportPriceList implements CsvBackfill {
 *   public void process(Handle handle, CsvBatch batch) {
 *     for (CsvRow row : batch) {
 *       handle.createUpdate("UPDATE products SET price = :price WHERE sku = :sku")
 *           .bind("price", new BigDecimal(row.get("price")))
 *           .bind("sku", row.get("sku"))
 *           .execute();
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>The file is UTF-8 (a byte order mark is skipped), RFC 4180: fields separated by commas,
 * records by CRLF or LF, fields in double quotes may hold commas, line breaks and doubled quotes.
 * Blank lines are skipped. With {@link #hasHeader()} (the default) the first record names the
 * columns and every record must have as many fields; a record holds at most 16 MiB (a quoted field
 * never closed is refused there, not read to the end of the file). The whole file is read and
 * checked when the backfill starts, streamed (only the header and an offset per 256 rows are kept),
 * and its SHA-256 stored with the backfill's progress: a resume with another file (or a changed
 * one) is refused with {@link BackfillInputException}, so row numbers always mean the same rows.
 * Each batch checks that the file is still the one read at the start (size, modification time,
 * identity): a batch of a file replaced or rewritten while the backfill runs fails instead of
 * reading other rows, and the backfill resumes once the file is put back. The same rows with other
 * line breaks are another file. Each batch runs in a transaction of its own that also marks it
 * done: do not commit or roll back the handle.
 */
public interface CsvBackfill extends Migration {

  /**
   * Returns whether the file's first record is a header naming the columns (the default); it is not
   * processed.
   */
  default boolean hasHeader() {
    return true;
  }

  /** Processes one batch of rows, in the batch's transaction. */
  void process(Handle handle, CsvBatch batch);

  /**
   * Not used: the runner calls {@link #process} batch by batch instead. Do not override it (the
   * processor rejects a backfill that does).
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  default void up(Handle handle) {
    throw new UnsupportedOperationException(
        getClass().getName()
            + " is a CsvBackfill: the MigrationRunner runs it batch by batch, not with up(Handle)");
  }
}
