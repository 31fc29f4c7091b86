package dev.datamigrations.testing;

import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.CsvBatch;
import java.util.List;

/**
 * What {@link MigrationTester#runBackfill} did.
 *
 * @param version the backfill's version
 * @param batchSize the batch size it ran with
 * @param batches every batch processed, in the order they committed (one worker: key order), of a
 *     {@code Backfill} or {@code QueryBackfill}; empty for a {@code CsvBackfill}
 * @param progress the backfill's progress at the end, read from the database: {@code DONE}, its
 *     rows and batches
 * @param csvBatches every batch of a {@code CsvBackfill}, in file order; empty otherwise
 */
public record BackfillRun(
    long version,
    int batchSize,
    List<Batch> batches,
    BackfillProgress progress,
    List<CsvBatch> csvBatches) {

  public BackfillRun {
    batches = List.copyOf(batches);
    csvBatches = List.copyOf(csvBatches);
  }

  /** Returns the run of a backfill over keys. */
  public BackfillRun(long version, int batchSize, List<Batch> batches, BackfillProgress progress) {
    this(version, batchSize, batches, progress, List.of());
  }

  /** Returns how many keys (a CSV backfill: rows) the batches held in all. */
  public long keys() {
    return batches.stream().mapToLong(Batch::size).sum()
        + csvBatches.stream().mapToLong(CsvBatch::size).sum();
  }
}
