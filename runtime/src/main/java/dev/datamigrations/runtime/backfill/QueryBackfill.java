package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.Migration;
import org.jdbi.v3.core.Handle;

/**
 * A backfill over the rows of a query rather than a plain table walk (maintenance_tasks'
 * collections): the runner pages through the query's result by its key columns, with keyset
 * pagination over the query as a derived table ({@code SELECT k FROM (<query>) q WHERE k > ? ORDER
 * BY k LIMIT n}), and calls {@link #process} once per key range, like a {@link Backfill}.
 *
 * <pre>{@code
 * @DataMigration(version = 20250302090000L)
 * public class CloseOrphanedCarts implements QueryBackfill {
 *   public BackfillQuery query() {
 *     return BackfillQuery.of(
 *         "SELECT c.id FROM carts c LEFT JOIN users u ON u.id = c.user_id WHERE u.id IS NULL", "id");
 *   }
 *
 *   public void process(Handle handle, Batch batch) {
 *     handle.createUpdate("UPDATE carts SET closed = TRUE WHERE id BETWEEN :first AND :last"
 *             + " AND user_id NOT IN (SELECT id FROM users)")
 *         .bind("first", batch.first()).bind("last", batch.last()).execute();
 *   }
 * }
 * }</pre>
 *
 * <p>The key columns must be unique and NOT NULL in the query's result, and should be backed by an
 * index of the underlying table, or every page scans the query. The runner checks what it can: the
 * columns exist and have a type it can walk (at start), no row has a NULL key (when it counts the
 * estimate, before the first batch), and no two rows of a page share a key; otherwise {@link
 * BackfillKeyException}. Do not page on an {@code ENUM} or {@code SET} column (MySQL, MariaDB): it
 * sorts in the order its type declares its values but compares with a bound value as text, so pages
 * would skip rows, and a query's result metadata calls it {@code CHAR}, so the runner cannot tell
 * (a {@link Backfill}'s key check refuses such a column). A batch's range is of keys, as with a
 * table: {@code process} must select its rows again, with the query's own condition. Each batch
 * runs in a transaction of its own that also marks it done: do not commit or roll back the handle.
 */
public interface QueryBackfill extends Migration {

  /** Returns the query to walk and the key columns of its result to page on. */
  BackfillQuery query();

  /**
   * Processes one batch: the rows of the query whose key is between {@link Batch#firstKey()} and
   * {@link Batch#lastKey()}, both included. Runs in the batch's transaction.
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
            + " is a QueryBackfill: the MigrationRunner runs it batch by batch, not with up(Handle)");
  }
}
