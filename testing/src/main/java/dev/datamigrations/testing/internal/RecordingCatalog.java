package dev.datamigrations.testing.internal;

import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.BackfillQuery;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.CsvBackfill;
import dev.datamigrations.runtime.backfill.CsvBatch;
import dev.datamigrations.runtime.backfill.KeyRange;
import dev.datamigrations.runtime.backfill.QueryBackfill;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Handle;

/**
 * The user's catalog, with the backfill of one version ({@link Backfill}, {@link QueryBackfill} or
 * {@link CsvBackfill}) wrapped so that every batch it processes is recorded and handed to a check,
 * inside the batch's own transaction, right after the backfill's {@code process} returned; the
 * first exception its {@code process} throws is kept, since the runner records a failed batch as
 * text. The runner sees the same descriptors and a migration of the same shape, so it runs the
 * backfill as in production.
 */
public final class RecordingCatalog implements MigrationCatalog {
  private final MigrationCatalog delegate;
  private final long version;
  private final BiConsumer<Handle, Batch> afterEachBatch;
  private final BiConsumer<Handle, CsvBatch> afterEachCsvBatch;
  private final List<Batch> processed = new ArrayList<>();
  private final List<CsvBatch> csvProcessed = new ArrayList<>();
  private final AtomicReference<Throwable> firstProcessFailure = new AtomicReference<>();

  public RecordingCatalog(
      MigrationCatalog delegate,
      long version,
      BiConsumer<Handle, Batch> afterEachBatch,
      BiConsumer<Handle, CsvBatch> afterEachCsvBatch) {
    this.delegate = delegate;
    this.version = version;
    this.afterEachBatch = afterEachBatch;
    this.afterEachCsvBatch = afterEachCsvBatch;
  }

  @Override
  public List<MigrationDescriptor> descriptors() {
    return delegate.descriptors();
  }

  @Override
  public Migration instantiate(int index) {
    Migration migration = delegate.instantiate(index);
    if (descriptors().get(index).version() != version) {
      return migration;
    }
    if (migration instanceof Backfill backfill) {
      return new Backfill() {
        @Override
        public KeyRange keys() {
          return backfill.keys();
        }

        @Override
        public void process(Handle handle, Batch batch) {
          processAndRecord(handle, batch, () -> backfill.process(handle, batch));
        }

        @Override
        public void down(Handle handle) {
          backfill.down(handle);
        }
      };
    }
    if (migration instanceof QueryBackfill backfill) {
      return new QueryBackfill() {
        @Override
        public BackfillQuery query() {
          return backfill.query();
        }

        @Override
        public void process(Handle handle, Batch batch) {
          processAndRecord(handle, batch, () -> backfill.process(handle, batch));
        }

        @Override
        public void down(Handle handle) {
          backfill.down(handle);
        }
      };
    }
    if (migration instanceof CsvBackfill backfill) {
      return new CsvBackfill() {
        @Override
        public boolean hasHeader() {
          return backfill.hasHeader();
        }

        @Override
        public void process(Handle handle, CsvBatch batch) {
          processed(() -> backfill.process(handle, batch));
          afterEachCsvBatch.accept(handle, batch);
          record(csvProcessed, batch);
        }

        @Override
        public void down(Handle handle) {
          backfill.down(handle);
        }
      };
    }
    return migration;
  }

  /** Runs one batch of a key or query backfill, then the per-batch check, and records it. */
  private void processAndRecord(Handle handle, Batch batch, Runnable process) {
    processed(process);
    afterEachBatch.accept(handle, batch);
    record(processed, batch);
  }

  private void processed(Runnable process) {
    try {
      process.run();
    } catch (RuntimeException | Error e) {
      firstProcessFailure.compareAndSet(null, e);
      throw e;
    }
  }

  private static <T> void record(List<T> list, T batch) {
    synchronized (list) {
      list.add(batch);
    }
  }

  /**
   * Returns the batches processed so far, in the order their {@code process} returned. A batch
   * whose transaction then failed to commit would be listed although it rolled back: the runner
   * retries it, so it is listed again.
   */
  public List<Batch> processed() {
    synchronized (processed) {
      return List.copyOf(processed);
    }
  }

  /** Returns the CSV batches processed so far, as {@link #processed()} does for keys. */
  public List<CsvBatch> csvProcessed() {
    synchronized (csvProcessed) {
      return List.copyOf(csvProcessed);
    }
  }

  /** Returns the first exception the backfill's own {@code process} threw, if any. */
  public Throwable firstProcessFailure() {
    return firstProcessFailure.get();
  }
}
