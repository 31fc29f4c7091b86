package dev.datamigrations.testing;

import dev.datamigrations.runtime.backfill.CsvBatch;
import org.jdbi.v3.core.Handle;

/**
 * Checks the database after one batch of a {@code CsvBackfill}, on the batch's own handle and
 * inside its transaction, like {@link BatchCheck} for a backfill over keys. A failure rolls the
 * batch back and stops the backfill; {@link MigrationTester#runBackfill(long, int, CsvInput,
 * CsvBatchCheck)} then fails naming the batch.
 */
@FunctionalInterface
public interface CsvBatchCheck {

  /** Checks the state after {@code batch}. */
  void check(Handle handle, CsvBatch batch) throws Exception;
}
