package dev.datamigrations.runtime;

/**
 * What a backfill would walk, estimated by a dry run instead of running it: the rows of its table
 * now (the same {@code COUNT(*)} its progress starts from) and the batches still to run at the
 * configured batch size (a tuner, {@code BatchTuning}, changes the size as it goes).
 *
 * @param rows the rows in the walked table, inside the dry run's transaction
 * @param rowsDone the rows an earlier start already processed (a paused or interrupted backfill
 *     resumes after them); 0 for a backfill that never started
 * @param batchSize the configured batch size, in keys
 * @param batches the batches still to run: the rows not yet done, divided by the batch size,
 *     rounded up
 */
public record BackfillEstimate(long rows, long rowsDone, int batchSize, long batches) {

  public BackfillEstimate {
    if (rows < 0 || rowsDone < 0 || batches < 0 || batchSize < 1) {
      throw new IllegalArgumentException(
          "BackfillEstimate: rows ("
              + rows
              + "), rowsDone ("
              + rowsDone
              + ") and batches ("
              + batches
              + ") must not be negative, and batchSize ("
              + batchSize
              + ") must be at least 1");
    }
  }

  /** Returns the estimate of {@code rows} rows, {@code rowsDone} of them done, in batches. */
  public static BackfillEstimate of(long rows, long rowsDone, int batchSize) {
    long left = Math.max(0, rows - rowsDone);
    return new BackfillEstimate(rows, rowsDone, batchSize, (left + batchSize - 1) / batchSize);
  }
}
