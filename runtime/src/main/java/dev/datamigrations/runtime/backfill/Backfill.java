package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.Migration;
import org.jdbi.v3.core.Handle;

/**
 * A data migration that walks a big table in batches while the application serves traffic: say
 * which key to walk ({@link #keys()}: one column or a tuple, integer, text or UUID, optionally
 * filtered) and what to do with one batch ({@link #process}). {@link QueryBackfill} walks a query's
 * rows instead, {@link CsvBackfill} a CSV file's. Annotate it with {@link
 * dev.datamigrations.DataMigration} like any migration; leave {@code transactional} unset (each
 * batch has a transaction of its own).
 *
 * <pre>{@code
 * @DataMigration(version = 20250301120000L)
 * public class BackfillNormalizedEmails implements Backfill {
 *   public KeyRange keys() {
 *     return KeyRange.of("users", "id");
 *   }
 *
 *   public void process(Handle handle, Batch batch) {
 *     handle.createUpdate("UPDATE users SET email_normalized = LOWER(email) WHERE id BETWEEN :first AND :last")
 *         .bind("first", batch.first())
 *         .bind("last", batch.last())
 *         .execute();
 *   }
 * }
 * }</pre>
 *
 * <p>The runner splits the key column into batches with keyset pagination (never {@code OFFSET})
 * and runs {@link #process} once per batch, each batch in a transaction of its own that also
 * records the batch as done: do not commit or roll back the handle yourself. A crash resumes after
 * the last committed batch; no batch runs twice, none is skipped. The migration counts as applied
 * when its last batch is done.
 */
public interface Backfill extends Migration {

  /**
   * Returns the table and key to walk. Checked when the backfill starts: each key column an integer
   * no wider than a signed {@code BIGINT}, text or a UUID, {@code NOT NULL}, and the columns unique
   * together (the primary key or a unique index on exactly them, in that order), else {@link
   * BackfillKeyException} and the backfill does not start.
   */
  KeyRange keys();

  /**
   * Processes one batch: the rows whose key is between {@link Batch#firstKey()} and {@link
   * Batch#lastKey()} ({@link Batch#first()} and {@link Batch#last()} for one integer key), both
   * included, and that match the filter if {@link KeyRange#where} set one ({@link
   * KeyRange#condition()} writes that {@code WHERE}). Runs in the batch's transaction, which the
   * runner commits together with the batch's progress; any exception rolls the batch back and stops
   * the backfill, to resume with that batch.
   */
  void process(Handle handle, Batch batch);

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
            + " is a Backfill: the MigrationRunner runs it batch by batch, not with up(Handle)");
  }
}
