package dev.datamigrations.runtime.backfill.internal;

import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.Key;
import java.sql.Connection;
import java.sql.SQLException;
import org.jdbi.v3.core.Handle;

/**
 * What one backfill walks, whatever its kind (a table's key, a query's rows, a CSV file's rows):
 * how to cut the next range after a cursor, how many rows there are, and how to process one claimed
 * batch. The worker and the tables know only this.
 */
interface BatchSource {

  /**
   * Returns whether the keys are one integer, stored in the batch table's {@code BIGINT} columns;
   * else they are stored as text ({@link KeyCodec}).
   */
  boolean integerKey();

  /**
   * Returns the next range of at most {@code batchSize} keys after {@code after} (from the start if
   * null), or null when none is left. Called in the hand-out transaction.
   */
  Span next(Connection connection, Key after, int batchSize) throws SQLException;

  /** Returns how many rows are to be processed, for the estimate. */
  long count(Connection connection) throws SQLException;

  /** Processes one claimed batch in its transaction: calls the user's {@code process}. */
  void process(Handle handle, Batch batch) throws Exception;

  /**
   * Returns the walked table's range when this source is a table ({@link
   * dev.datamigrations.runtime.backfill.Backfill}), for the health check; empty for a query or a
   * CSV file.
   */
  default java.util.Optional<dev.datamigrations.runtime.backfill.KeyRange> walkedTable() {
    return java.util.Optional.empty();
  }

  /**
   * Returns the table and key when this source is a table walked by one integer column, which the
   * database can count through to cut a batch into sub-batches (and split one that timed out by
   * {@code BETWEEN}); empty otherwise (such batches are processed whole, and split by {@link
   * #halves}).
   */
  default java.util.Optional<dev.datamigrations.runtime.backfill.KeyRange> integerTable() {
    return java.util.Optional.empty();
  }

  /**
   * Returns {@code batch} cut in halves by its rows as they are now, in the caller's transaction:
   * the lower half from the batch's first key to its median key, the upper half from the key after
   * the median to the batch's last key; null if the batch holds fewer than two rows, or if this
   * source cannot split its batches (a CSV file's rows).
   */
  default Halves halves(Connection connection, Batch batch) throws SQLException {
    return null;
  }

  /** A range of keys handed out as one batch, both ends included. */
  record Span(Key first, Key last, long count) {}

  /** A batch cut in two ranges that hold its rows between them, each once. */
  record Halves(Span lower, Span upper) {}
}
