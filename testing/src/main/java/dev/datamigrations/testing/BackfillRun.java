package dev.datamigrations.testing;

import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.Batch;
import java.util.List;

/**
 * What {@link MigrationTester#runBackfill} did.
 *
 * @param version the backfill's version
 * @param batchSize the batch size it ran with
 * @param batches every batch processed, in the order they committed (one worker: key order)
 * @param progress the backfill's progress at the end, read from the database: {@code DONE}, its
 *     rows and batches
 */
public record BackfillRun(
    long version, int batchSize, List<Batch> batches, BackfillProgress progress) {

  public BackfillRun {
    batches = List.copyOf(batches);
  }

  /** Returns how many keys the batches held in all. */
  public long keys() {
    return batches.stream().mapToLong(Batch::size).sum();
  }
}
