package dev.datamigrations.testing;

import dev.datamigrations.runtime.backfill.Batch;
import org.jdbi.v3.core.Handle;

/**
 * Checks the database after one batch of a backfill, on the batch's own handle and inside its
 * transaction, so it sees what the batch changed and nothing of the batches after it. A failure (an
 * {@link AssertionError} or any exception) rolls the batch back and stops the backfill; {@link
 * MigrationTester#runBackfill} then fails naming the batch.
 */
@FunctionalInterface
public interface BatchCheck {

  /** Checks the state after {@code batch}. */
  void check(Handle handle, Batch batch) throws Exception;
}
